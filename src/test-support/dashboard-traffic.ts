import { createHmac } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import type { TestService } from './app.js';
import { PASSWORD, signupBody } from './accounts.js';
import { kakaoTicket } from './fake-kakao.js';
import { makeRun } from './runs.js';
import type { ManualClock } from '../platform/clock.js';

/**
 * A week of traffic for the admin dashboard, sent through the real API on a manual clock, and
 * the figures it must produce (worked out by hand in the comments). The dashboard's default
 * range at `END` is 2026-11-21 … 2026-11-27 (KST).
 */
export const START = '2026-11-20T23:59:00+09:00';
export const END = '2026-11-27T21:00:00+09:00';

export const MOBILE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
export const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36';
export const OTHER = 'curl/8.5.0';

export const RUN_A = makeRun({
  _id: 'dddddddddddddddddddd000a',
  title: '레미제라블',
  category: '뮤지컬',
  hosts: [
    { site_id: 1, ticket_url: 'https://tickets.example.com/a1' },
    { site_id: 2, ticket_url: 'https://tickets.example.com/a2' },
  ],
});
export const RUN_B = makeRun({
  _id: 'dddddddddddddddddddd000b',
  title: '아이유 콘서트',
  category: '콘서트',
  hosts: [{ site_id: 3, ticket_url: null }],
});
export const RUN_C = makeRun({ _id: 'dddddddddddddddddddd000c', title: '햄릿', category: '연극' });

/** The legacy frontend's password transform: base64(hex(HMAC-SHA256(password, "encore-team1"))). */
export function legacyPasswordTransform(password: string): string {
  return Buffer.from(createHmac('sha256', 'encore-team1').update(password).digest('hex')).toString('base64');
}

/**
 * Fills the lake: every request goes through the API at the clock's time; then the sink writes
 * every buffer. Returns the Kakao user's event id.
 */
export async function sendDashboardTraffic(svc: TestService, clock: ManualClock): Promise<void> {
  await svc.container.stores.performances.upsertMany([RUN_A, RUN_B, RUN_C]);
  await svc.container.catalog.refresh();
  const inject = async (opts: InjectOptions) => {
    const res = await svc.app.inject(opts);
    if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body}`);
    return res;
  };
  const ua = (agent: string, token?: string) => ({ 'user-agent': agent, ...(token ? { authorization: token } : {}) });
  const search = (agent: string, query: string, token?: string) => inject({ url: `/search?${query}`, headers: ua(agent, token) });
  const view = (agent: string, id: string, token?: string) => inject({ url: `/detail/${id}`, headers: ua(agent, token) });
  const kw = (k: string) => `keyword=${encodeURIComponent(k)}`;
  // No like route in this branch: the events a like records, through the real recorder (outbox, bus, sink)
  const like = async (action: 'like' | 'unlike', run: typeof RUN_A, status: 'changed' | 'unchanged', user_id: string, device: string) => {
    const { events } = svc.container;
    events.record('Like_log', action, { user_id, device }, { ticket_id: run._id, title: run.title, category: run.category, status });
    await events.durable?.();
  };

  // Before the range: not counted by default
  clock.set(START);
  await search(OTHER, kw('old'));
  // The range's first instant
  clock.set('2026-11-21T00:00:00+09:00');
  await search(OTHER, kw('경계')); // found nothing
  // 25th, 10 h: an anonymous phone
  clock.set('2026-11-25T10:05:00+09:00');
  await search(MOBILE, kw('레미'));
  await search(MOBILE, kw('없는공연'));
  await search(MOBILE, kw('없는공연'));
  await search(MOBILE, `category=${encodeURIComponent('콘서트')}`); // no keyword
  await view(MOBILE, RUN_A._id);
  await view(MOBILE, RUN_A._id);
  // 25th, 10:30: a sign-up, a wrong password, then a login two minutes after signing up
  clock.set('2026-11-25T10:30:00+09:00');
  await inject({ method: 'POST', url: '/signup/signup', payload: signupBody({ id: 'moa2026' }), headers: ua(DESKTOP) });
  await inject({ method: 'POST', url: '/auth/login', payload: { id: 'moa2026', password: 'wrong' }, headers: ua(DESKTOP) });
  clock.set('2026-11-25T10:32:00+09:00');
  const first = (await inject({ method: 'POST', url: '/auth/login', payload: { id: 'moa2026', password: PASSWORD }, headers: ua(DESKTOP) })).json<{
    access_token: string;
  }>();
  await view(DESKTOP, RUN_B._id, first.access_token);
  await search(DESKTOP, kw('아이유'), first.access_token);
  // 26th, 23 h: a script, and a sign-up that never logs in
  clock.set('2026-11-26T23:10:00+09:00');
  await search(OTHER, kw('레미'));
  await view(OTHER, RUN_A._id);
  await view(OTHER, RUN_C._id);
  clock.set('2026-11-26T23:20:00+09:00');
  await inject({ method: 'POST', url: '/signup/signup', payload: signupBody({ id: 'second01' }), headers: ua(DESKTOP) });
  // 26th, 20 h: moa2026's hearts: A, A again, C then not C, B it never liked
  clock.set('2026-11-26T20:00:00+09:00');
  await like('like', RUN_A, 'changed', 'moa2026', DESKTOP);
  await like('like', RUN_A, 'unchanged', 'moa2026', DESKTOP);
  await like('like', RUN_C, 'changed', 'moa2026', DESKTOP);
  await like('unlike', RUN_C, 'changed', 'moa2026', DESKTOP);
  await like('unlike', RUN_B, 'unchanged', 'moa2026', DESKTOP);
  // 27th, 9 h: moa2026 again, and a Kakao user on a phone
  clock.set('2026-11-27T09:00:00+09:00');
  const again = (await inject({ method: 'POST', url: '/auth/login', payload: { id: 'moa2026', password: PASSWORD }, headers: ua(DESKTOP) })).json<{
    access_token: string;
  }>();
  await view(DESKTOP, RUN_A._id, again.access_token);
  const ticket = await kakaoTicket(inject, undefined, ua(MOBILE));
  const kakao = (await inject({ url: `/kakao/getToken?code=${ticket}`, headers: ua(MOBILE) })).json<{ access_token: string }>();
  await search(MOBILE, kw('햄릿'), kakao.access_token);
  const kakaoUser = JSON.parse(svc.container.pipeline.outbox.readTopic('KakaoLogin_log', 0, 1)[0]!.payload) as { user_id: string };
  await like('like', RUN_A, 'changed', kakaoUser.user_id, MOBILE);
  await like('like', RUN_B, 'changed', kakaoUser.user_id, MOBILE);
  await like('like', RUN_B, 'changed', 'moa2026', DESKTOP);
  await like('unlike', RUN_A, 'changed', 'moa2026', DESKTOP);

  clock.set(END);
  const sink = await svc.container.pipeline.startSink();
  await sink.stop(); // a graceful stop writes every buffer; later requests stay in the outbox
}

/** An admin and a regular account made after the lake was filled (their events stay out of it). */
export async function dashboardTokens(svc: TestService, adminPassword = 'Moa2026!x'): Promise<{ admin: string; user: string }> {
  const pw = legacyPasswordTransform(adminPassword);
  const signup = await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: signupBody({ id: 'admin01', pw }) });
  if (signup.statusCode !== 200) throw new Error(`admin signup failed: ${signup.body}`);
  await svc.container.accounts.setAdmin('admin01', true);
  const login = async (id: string, password: string) =>
    (await svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id, password } })).json<{ access_token: string }>().access_token;
  return { admin: await login('admin01', pw), user: await login('second01', PASSWORD) };
}

const zeros = {
  Validate: 0,
  Login_log: 0,
  Logout_log: 0,
  KakaoLogin_log: 0,
  KakaoLogout_log: 0,
  Signup_log: 0,
  View_detail_log: 0,
  Search_log: 0,
  Like_log: 0,
};
const quiet = (day: string) => ({ day, total: 0, topics: zeros });

/** What the default range (2026-11-21 … 27) must show, counted by hand from the traffic above. */
export const EXPECTED = {
  events_per_day: [
    { day: '2026-11-21', total: 1, topics: { ...zeros, Search_log: 1 } },
    quiet('2026-11-22'),
    quiet('2026-11-23'),
    quiet('2026-11-24'),
    // 4 + 1 searches, 2 + 1 views, the sign-up, the wrong password, the login
    { day: '2026-11-25', total: 11, topics: { ...zeros, Search_log: 5, View_detail_log: 3, Signup_log: 1, Validate: 1, Login_log: 1 } },
    // ... and moa2026's 5 likes and unlikes at 20 h
    { day: '2026-11-26', total: 9, topics: { ...zeros, Search_log: 1, View_detail_log: 2, Signup_log: 1, Like_log: 5 } },
    { day: '2026-11-27', total: 8, topics: { ...zeros, Login_log: 1, View_detail_log: 1, KakaoLogin_log: 1, Search_log: 1, Like_log: 4 } },
  ],
  // sign-ups and failed logins are anonymous; moa2026 likes on the 26th; the 27th has moa2026 and the Kakao user
  active_users: [0, 0, 0, 0, 1, 1, 2].map((users, i) => ({ day: `2026-11-${21 + i}`, users })),
  // curl 1 + 3; phone 6 + Kakao login and search 2 + Kakao likes 2; desktop 2 + 3 + 1 + 5 likes + 2 + 2 likes
  devices: [
    { device: 'mobile', events: 10 },
    { device: 'desktop', events: 15 },
    { device: 'other', events: 4 },
  ],
  busyHours: [
    { day: '2026-11-21', hour: 0, events: 1 },
    { day: '2026-11-25', hour: 10, events: 11 },
    { day: '2026-11-26', hour: 20, events: 5 },
    { day: '2026-11-26', hour: 23, events: 4 },
    { day: '2026-11-27', hour: 9, events: 8 },
  ],
  searches: 8,
  no_result_searches: 3,
  top_keywords: [
    { keyword: '레미', searches: 2 },
    { keyword: '없는공연', searches: 2 },
    { keyword: '경계', searches: 1 },
    { keyword: '아이유', searches: 1 },
    { keyword: '햄릿', searches: 1 },
  ],
  no_result_keywords: [
    { keyword: '없는공연', searches: 2 },
    { keyword: '경계', searches: 1 },
  ],
  views: 6,
  top_runs: [
    { ticket_id: RUN_A._id, title: '레미제라블', category: '뮤지컬', views: 4 },
    { ticket_id: RUN_B._id, title: '아이유 콘서트', category: '콘서트', views: 1 },
    { ticket_id: RUN_C._id, title: '햄릿', category: '연극', views: 1 },
  ],
  categories: [
    { category: '뮤지컬', views: 4 },
    { category: '연극', views: 1 },
    { category: '콘서트', views: 1 },
  ],
  // A (4 views) is sold by 1 and 2, B (1) by 3, C (1) by 1
  vendors: [
    { site_id: 1, name: '인터파크 티켓', views: 5, share: 0.8333 },
    { site_id: 2, name: '예스24 티켓', views: 4, share: 0.6667 },
    { site_id: 3, name: '티켓링크', views: 1, share: 0.1667 },
  ],
  per_day: [
    ...['21', '22', '23', '24'].map((d) => ({ day: `2026-11-${d}`, signups: 0, logins: 0, kakao_logins: 0, failed_logins: 0 })),
    { day: '2026-11-25', signups: 1, logins: 1, kakao_logins: 0, failed_logins: 1 },
    { day: '2026-11-26', signups: 1, logins: 0, kakao_logins: 0, failed_logins: 0 },
    { day: '2026-11-27', signups: 0, logins: 1, kakao_logins: 1, failed_logins: 0 },
  ],
  // moa2026 logged in 2 minutes after signing up; second01 never did
  funnel: { signups: 2, logged_in: 1, rate: 0.5, median_minutes_to_first_login: 2 },
  // changed ones only: 26th A and C liked, C unliked; 27th A, B (Kakao) and B (moa2026) liked, A unliked
  likes: 5,
  unlikes: 2,
  likes_per_day: [
    ...['21', '22', '23', '24', '25'].map((d) => ({ day: `2026-11-${d}`, likes: 0, unlikes: 0 })),
    { day: '2026-11-26', likes: 2, unlikes: 1 },
    { day: '2026-11-27', likes: 3, unlikes: 1 },
  ],
  // B 2 − 0, A 2 − 1; C 1 − 1 has no net like and is left out
  liked_runs: [
    { ticket_id: RUN_B._id, title: '아이유 콘서트', category: '콘서트', likes: 2, unlikes: 0, net_likes: 2 },
    { ticket_id: RUN_A._id, title: '레미제라블', category: '뮤지컬', likes: 2, unlikes: 1, net_likes: 1 },
  ],
};
