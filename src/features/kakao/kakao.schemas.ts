import { Type } from 'typebox';

export const CallbackQuerySchema = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2048 })),
    state: Type.Optional(Type.String({ maxLength: 200 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: true },
);

export const GetTokenQuerySchema = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 2048, description: 'The one-time ticket the callback gave the frontend (not a Kakao code)' }) },
  { additionalProperties: true },
);

export const KakaoLoginSchema = Type.Object({
  access_token: Type.String({ description: "This service's access token (not Kakao's)" }),
  refresh_token: Type.String(),
  token_type: Type.Literal('bearer'),
  nickname: Type.String(),
  user_type: Type.Union([Type.Literal('0'), Type.Literal('1')]),
});

export const RedirectSchema = Type.Null({ description: 'Redirect; see Location' });
