import { Type } from 'typebox';
import { MAX_PASSWORD_LENGTH } from './signup-rules.js';

export const ErrorSchema = Type.Object({ detail: Type.Unknown() }, { additionalProperties: true });

const field = (description: string, maxLength = 200) => Type.String({ maxLength, description });

export const CheckIdBodySchema = Type.Object({ id: field('Wanted account id: 4–15 letters or digits, at least one letter', 15) });

export const CheckIdResponseSchema = Type.Object({ is_taken: Type.Boolean() });

export const SignupBodySchema = Type.Object({
  username: field('Display name, 1–30 characters (spaces around it are dropped)', 30),
  id: field('4–15 letters or digits, at least one letter', 15),
  pw: field(`The password string as the frontend encodes it, 1–${MAX_PASSWORD_LENGTH} characters`, MAX_PASSWORD_LENGTH),
  email: Type.Optional(field('Email address, or ""', 254)),
  phoneNumber: Type.Optional(field('Digits, or ""', 40)),
  gender: field('M or F', 1),
  birthday: field('YYYY-MM-DD, a past date', 10),
  agreeMarketing: Type.Union([field('"true" or "false"', 5), Type.Boolean()]),
});

export const SuccessSchema = Type.Object({ success: Type.Boolean() });

export const LoginBodySchema = Type.Object({
  id: field('Account id', 64),
  password: field('The password string as the frontend encodes it', 4096),
});

const TokenPairProperties = {
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('bearer'),
};

export const TokenPairSchema = Type.Object(TokenPairProperties);

export const LoginResponseSchema = Type.Object({
  ...TokenPairProperties,
  username: Type.String(),
  user_type: Type.Union([Type.Literal('0'), Type.Literal('1')], { description: '"1" for admins' }),
});

export const RefreshBodySchema = Type.Object({ refresh_token: field('The latest refresh token of the session', 4096) });

export const MessageSchema = Type.Object({ message: Type.String() });
