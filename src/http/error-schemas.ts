import { Type } from 'typebox';

/**
 * The one shape of every 422 (src/http/errors.ts for schema errors, `unprocessable` for the
 * services' own checks), as the OpenAPI document shows it.
 */
export const ValidationErrorSchema = Type.Object(
  {
    detail: Type.String({ description: 'The first problem: its field and message' }),
    errors: Type.Array(
      Type.Object({
        field: Type.String({ description: '`body.<name>` or `querystring.<name>`' }),
        message: Type.String(),
      }),
      { minItems: 1 },
    ),
  },
  { description: 'The input was refused: every field at fault, with what it must be' },
);
