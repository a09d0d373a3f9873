/** Field rules for new accounts (docs/contract.md §2). Pure: no I/O, "today" comes from the caller. */

export interface SignupInput {
  username: string;
  id: string;
  pw: string;
  email: string;
  phoneNumber: string;
  gender: string;
  birthday: string;
  agreeMarketing: string | boolean;
}

export interface ValidSignup {
  username: string;
  id: string;
  pw: string;
  email: string | null;
  phoneNumber: string | null;
  gender: 'M' | 'F';
  birthday: string;
  agreeMarketing: boolean;
}

export interface FieldError {
  field: string;
  message: string;
}

export const ACCOUNT_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{4,15}$/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const BIRTHDAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
export const MAX_PASSWORD_LENGTH = 1024;
const EARLIEST_BIRTHDAY = '1900-01-01';

export function accountIdError(id: string): string | undefined {
  return ACCOUNT_ID.test(id) ? undefined : 'must be 4 to 15 letters or digits, with at least one letter';
}

export function usernameError(username: string): string | undefined {
  const name = username.trim();
  return name.length === 0 || name.length > 30 || CONTROL.test(name) ? 'must be 1 to 30 characters' : undefined;
}

export function passwordError(pw: string): string | undefined {
  return pw.length === 0 || pw.length > MAX_PASSWORD_LENGTH ? `must be 1 to ${MAX_PASSWORD_LENGTH} characters` : undefined;
}

export interface AdminAccountInput {
  id: string;
  username: string;
  /** The password string as the frontend sends it (after its transform). */
  pw: string;
}

/** An admin account made by an operator (`ticketmoa create-admin`): the signup rules of its fields. */
export function validateAdminAccount(input: AdminAccountInput): { ok: true; value: AdminAccountInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  for (const [field, error] of [
    ['id', accountIdError(input.id)],
    ['username', usernameError(input.username)],
    ['pw', passwordError(input.pw)],
  ] as const) {
    if (error) errors.push({ field, message: error });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...input, username: input.username.trim() } };
}

export function isRealDate(value: string): boolean {
  const m = BIRTHDAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** Digits only; hyphens and spaces the user typed are dropped. */
export function normalisePhone(value: string): string | undefined {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{9,11}$/.test(digits) ? digits : undefined;
}

/** `today` is the KST calendar date as `YYYY-MM-DD`. */
export function validateSignup(input: SignupInput, today: string): { ok: true; value: ValidSignup } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  const username = input.username.trim();
  const nameError = usernameError(username);
  if (nameError) fail('username', nameError);

  const idError = accountIdError(input.id);
  if (idError) fail('id', idError);

  const pwError = passwordError(input.pw);
  if (pwError) fail('pw', pwError);

  const email = input.email.trim();
  if (email !== '' && (email.length > 254 || !EMAIL.test(email))) fail('email', 'must be an email address');

  const phone = input.phoneNumber.trim();
  const phoneNumber = phone === '' ? null : normalisePhone(phone);
  if (phoneNumber === undefined) fail('phoneNumber', 'must be 9 to 11 digits');

  if (input.gender !== 'M' && input.gender !== 'F') fail('gender', 'must be M or F');

  if (!isRealDate(input.birthday)) fail('birthday', 'must be a real date written YYYY-MM-DD');
  else if (input.birthday >= today || input.birthday < EARLIEST_BIRTHDAY) fail('birthday', 'must be a date in the past');

  const marketing = typeof input.agreeMarketing === 'boolean' ? input.agreeMarketing : input.agreeMarketing.toLowerCase();
  if (marketing !== true && marketing !== false && marketing !== 'true' && marketing !== 'false') {
    fail('agreeMarketing', 'must be "true" or "false"');
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      username,
      id: input.id,
      pw: input.pw,
      email: email === '' ? null : email,
      phoneNumber: phoneNumber ?? null,
      gender: input.gender as 'M' | 'F',
      birthday: input.birthday,
      agreeMarketing: marketing === true || marketing === 'true',
    },
  };
}
