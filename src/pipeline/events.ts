/**
 * The topics of the user-action event log: the eight fixed ones of docs/contract.md §3, then
 * `Like_log` (likes and unlikes, §2b), which the later frontend's hearts added.
 */
export const TOPICS = [
  'Validate',
  'Login_log',
  'Logout_log',
  'KakaoLogin_log',
  'KakaoLogout_log',
  'Signup_log',
  'View_detail_log',
  'Search_log',
  'Like_log',
] as const;

export type Topic = (typeof TOPICS)[number];

/** Who did it, as far as analysis may know (no email, phone, full birthday or full IP). */
export interface Actor {
  /** Account id, `kakao:<id>`, or `anonymous`. */
  user_id: string;
  /** User-Agent. */
  device: string;
  gender?: string | null;
  birth_year?: number | null;
}

export type EventFields = Record<string, string | number | boolean | null | undefined>;

/**
 * Where features hand their events. Implementations must not block on the network and must
 * never throw into the request that records.
 */
export interface EventRecorder {
  record(topic: Topic, action: string, actor: Actor, fields: EventFields): void;
  /**
   * Resolves once every event recorded so far is durable. The HTTP layer awaits it before a
   * response goes out, so an answered request's event survives a crash. Never rejects; returns
   * `SETTLED` itself when nothing is waiting, so callers can skip the wait.
   */
  durable?(): Promise<void>;
}

/** What `durable()` returns when nothing is waiting to be committed. */
export const SETTLED: Promise<void> = Promise.resolve();

export const noEvents: EventRecorder = { record: () => {} };

/** An event as it is logged: the common fields, the per-topic fields, and reduced demographics. */
export interface LoggedEvent {
  event_id: string;
  /** ISO 8601 with `+09:00`. */
  timestamp: string;
  topic: Topic;
  action: string;
  user_id: string;
  device: string;
  gender?: string;
  birth_year?: number;
  [field: string]: string | number | boolean | null | undefined;
}

export function isTopic(value: string): value is Topic {
  return (TOPICS as readonly string[]).includes(value);
}
