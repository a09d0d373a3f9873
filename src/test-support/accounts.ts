import type { TestService } from './app.js';

export const PASSWORD = 'ZjM2YjQ1ZDg5YzQ1ZTFhYjYwMmM0YjJiMjA0OTQ5YjE0NDFjMDU4NTRiZjk1MTRi';

export function signupBody(overrides: Record<string, unknown> = {}) {
  return {
    username: '김모아',
    id: 'moa2026',
    pw: PASSWORD,
    email: 'moa@example.com',
    phoneNumber: '01012345678',
    gender: 'F',
    birthday: '1995-03-14',
    agreeMarketing: 'false',
    ...overrides,
  };
}

export async function signup(svc: TestService, overrides: Record<string, unknown> = {}) {
  const res = await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: signupBody(overrides) });
  if (res.statusCode !== 200) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
}

export async function login(svc: TestService, id = 'moa2026', password = PASSWORD) {
  return svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id, password } });
}

/** The user_id the catalogue's search event was recorded with, i.e. who the token made us. */
export async function searchAs(
  svc: TestService,
  events: { of(topic: 'Search_log'): { actor: { user_id: string } }[] },
  authorization: string | undefined,
): Promise<{ status: number; userId: string | undefined }> {
  const res = await svc.app.inject({
    method: 'GET',
    url: '/search?keyword=x',
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: res.statusCode, userId: events.of('Search_log').at(-1)?.actor.user_id };
}
