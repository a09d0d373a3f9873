/** An error whose message is safe to show to the client, with its HTTP status. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

export const badRequest = (detail: string, extra?: Record<string, unknown>) => new AppError(400, detail, extra);
export const unauthorized = (detail: string) => new AppError(401, detail);
export const notFound = (detail: string) => new AppError(404, detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) => new AppError(409, detail, extra);
/** One problem with one input field; `field` is named as the schema errors name it (`body.pw`, `querystring.window`). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * 422 in the one validation shape every 422 of the API has (schema errors included):
 * `{"detail": "<first field> <its message>", "errors": [{field, message}, …]}`.
 */
export const unprocessable = (first: FieldError, ...more: FieldError[]) =>
  new AppError(422, `${first.field} ${first.message}`, { errors: [first, ...more] });
export const tooManyRequests = (detail: string, retryAfterSeconds: number) => new AppError(429, detail, { retry_after: retryAfterSeconds });
