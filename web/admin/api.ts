import { legacyPassword } from './password.js';

/** The figures as /admin/api answers them (see the OpenAPI description). */
export interface Period {
  from: string;
  to: string;
}
/** The demo's synthetic views: counted in the figures or not, and how many the range holds. */
export interface SyntheticViews {
  shown: boolean;
  events: number;
}
export interface Activity extends Period {
  synthetic_views: SyntheticViews;
  events_per_day: { day: string; total: number; topics: Record<string, number> }[];
  active_users: { day: string; users: number }[];
  devices: { device: 'mobile' | 'desktop' | 'other'; events: number }[];
  hours: { day: string; hour: number; events: number }[];
}
export interface Searches extends Period {
  searches: number;
  no_result_searches: number;
  top_keywords: { keyword: string; searches: number }[];
  no_result_keywords: { keyword: string; searches: number }[];
}
export interface Views extends Period {
  synthetic_views: SyntheticViews;
  views: number;
  top_runs: { ticket_id: string; title: string; category: string; views: number }[];
  categories: { category: string; views: number }[];
  vendors: { site_id: number | null; name: string; views: number; share: number }[];
}
export interface Accounts extends Period {
  per_day: { day: string; signups: number; logins: number; kakao_logins: number; failed_logins: number }[];
  funnel: { signups: number; logged_in: number; rate: number; median_minutes_to_first_login: number | null };
}
export interface Likes extends Period {
  likes: number;
  unlikes: number;
  per_day: { day: string; likes: number; unlikes: number }[];
  top_runs: { ticket_id: string; title: string; category: string; likes: number; unlikes: number; net_likes: number }[];
}
export interface Figures {
  activity: Activity;
  searches: Searches;
  views: Views;
  accounts: Accounts;
  likes: Likes;
}

/** What is not in the lake yet (GET /admin/api/pending). */
export interface Pending {
  at: string;
  bus: 'embedded' | 'kafka';
  sink: 'this-process' | 'elsewhere';
  not_in_lake: number | null;
  outbox: { events: number; oldest_event_at: string | null; topics: Record<string, number> };
  sink_buffers: {
    events: number;
    max_events: number;
    max_age_ms: number;
    next_write_at: string | null;
    next_write_in_ms: number | null;
    topics: { topic: string; events: number; waiting_since: string; write_at: string; write_in_ms: number }[];
  } | null;
}

/** Why figures could not be shown. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const STORE = 'ticketmoa.admin';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

// The tab's session only: closing the tab logs the dashboard out.
// Nothing stored (a first visit) or anything unreadable is "no session", never an expired one.
const saved = (): Tokens | undefined => {
  try {
    const stored = sessionStorage.getItem(STORE);
    const t = stored === null ? undefined : (JSON.parse(stored) as Partial<Tokens> | null);
    return typeof t?.access_token === 'string' && typeof t.refresh_token === 'string'
      ? { access_token: t.access_token, refresh_token: t.refresh_token }
      : undefined;
  } catch {
    return undefined;
  }
};
const save = (t: Tokens | undefined) => (t ? sessionStorage.setItem(STORE, JSON.stringify(t)) : sessionStorage.removeItem(STORE));

export const loggedIn = (): boolean => saved() !== undefined;

async function detailOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { detail?: unknown };
    return typeof body.detail === 'string' ? body.detail : res.statusText;
  } catch {
    return res.statusText;
  }
}

/** Logs in with the legacy transform; the tokens stay in this tab. */
export async function login(id: string, password: string): Promise<{ username: string; admin: boolean }> {
  const res = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, password: legacyPassword(password) }),
  });
  if (!res.ok) throw new ApiError(res.status, await detailOf(res));
  const body = (await res.json()) as Tokens & { username: string; user_type: string };
  save({ access_token: body.access_token, refresh_token: body.refresh_token });
  return { username: body.username, admin: body.user_type === '1' };
}

export async function logout(): Promise<void> {
  const t = saved();
  save(undefined);
  if (t) await fetch('/auth/logout', { method: 'POST', headers: { authorization: t.access_token } }).catch(() => undefined);
}

async function refresh(): Promise<boolean> {
  const t = saved();
  if (!t) return false;
  const res = await fetch('/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: t.refresh_token }),
  });
  if (!res.ok) {
    save(undefined);
    return false;
  }
  const body = (await res.json()) as Tokens;
  save({ access_token: body.access_token, refresh_token: body.refresh_token });
  return true;
}

async function get<T>(path: string, retry = true): Promise<T> {
  const t = saved();
  if (!t) throw new ApiError(401, '로그인이 필요합니다');
  const res = await fetch(path, { headers: { authorization: t.access_token } });
  // an access token lives 30 minutes: renew it once with the refresh token
  if (res.status === 401 && retry && (await refresh())) return get<T>(path, false);
  if (res.status === 401) save(undefined);
  if (!res.ok) throw new ApiError(res.status, await detailOf(res));
  return (await res.json()) as T;
}

/**
 * Every figure of the range (both ends KST days `YYYY-MM-DD`; empty = the server's default);
 * `synthetic`: count the demo's synthetic views too.
 */
export async function loadFigures(from: string, to: string, synthetic = false): Promise<Figures> {
  const q = new URLSearchParams();
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  const query = q.size > 0 ? `?${q.toString()}` : '';
  if (synthetic) q.set('synthetic_views', 'include');
  const withViews = q.size > 0 ? `?${q.toString()}` : '';
  const [activity, searches, views, accounts, likes] = await Promise.all([
    get<Activity>(`/admin/api/activity${withViews}`),
    get<Searches>(`/admin/api/searches${query}`),
    get<Views>(`/admin/api/views${withViews}`),
    get<Accounts>(`/admin/api/accounts${query}`),
    get<Likes>(`/admin/api/likes${query}`),
  ]);
  return { activity, searches, views, accounts, likes };
}

/** What is not in the lake yet, and when the sink writes it. */
export function loadPending(): Promise<Pending> {
  return get<Pending>('/admin/api/pending');
}
