/**
 * The port the dashboard reads the event lake through (adapter: DuckDB over the lake's Parquet
 * files). Each method counts every `event_id` once and only events whose instant lies in
 * `[range.start, range.end)`. Days and hours are KST.
 */

/** A half-open span of instants: KST midnight of the first day to KST midnight after the last. */
export interface InstantRange {
  start: Date;
  end: Date;
}

export interface TopicDayCount {
  /** KST day `YYYY-MM-DD`. */
  day: string;
  topic: string;
  events: number;
}

export interface DayCount {
  day: string;
  count: number;
}

export interface HourCount {
  day: string;
  /** 0–23, KST. */
  hour: number;
  events: number;
}

export type DeviceClass = 'mobile' | 'desktop' | 'other';

export interface ActivityRows {
  /** The demo's synthetic views in the range (counted in the rows only when they were not hidden). */
  syntheticViews?: number;
  eventsPerDay: TopicDayCount[];
  /** Distinct signed-in users (anonymous excluded) per day, across every topic. */
  activeUsers: DayCount[];
  devices: { device: DeviceClass; events: number }[];
  hours: HourCount[];
}

export interface KeywordCount {
  keyword: string;
  searches: number;
}

export interface SearchRows {
  searches: number;
  /** Searches with a keyword that found nothing. */
  noResultSearches: number;
  /** Most searched keywords (trimmed, lower-cased), most first, at most `limit`. */
  topKeywords: KeywordCount[];
  /** Keywords whose searches found nothing, most first, at most `limit`. */
  noResultKeywords: KeywordCount[];
}

export interface RunViews {
  ticketId: string;
  /** As recorded with the view (the title at the time). */
  title: string | null;
  category: string | null;
  views: number;
}

export interface ViewRows {
  /** The demo's synthetic views in the range (counted in the rows only when they were not hidden). */
  syntheticViews?: number;
  /** Every viewed run, most viewed first. */
  runs: RunViews[];
  perCategory: { category: string; views: number }[];
}

export interface LikeDay {
  day: string;
  /** Likes that changed something (`action` like, `status` changed). */
  likes: number;
  /** Unlikes that removed a like. */
  unlikes: number;
}

export interface RunLikes {
  ticketId: string;
  /** As recorded with the latest like or unlike. */
  title: string | null;
  category: string | null;
  likes: number;
  unlikes: number;
  /** likes − unlikes in the range. */
  net: number;
}

export interface LikeRows {
  perDay: LikeDay[];
  /** Runs with more likes than unlikes in the range, most net likes first, at most `limit`. */
  runs: RunLikes[];
}

export interface AccountDay {
  day: string;
  signups: number;
  logins: number;
  kakaoLogins: number;
  failedLogins: number;
}

export interface AccountRows {
  perDay: AccountDay[];
  funnel: {
    /** Successful own sign-ups in the range. */
    signups: number;
    /** Of those, accounts that logged in at least once after signing up (up to the range's end). */
    loggedIn: number;
    /** Median minutes from sign-up to first login of those; null when none logged in. */
    medianMinutesToFirstLogin: number | null;
  };
}

/** `hideSynthetic`: leave out the demo's synthetic views (marked by their `device`, ADR 8). */
export interface SyntheticOption {
  hideSynthetic?: boolean;
}

export interface AnalyticsEngine {
  activity(range: InstantRange, options?: SyntheticOption): Promise<ActivityRows>;
  searches(range: InstantRange, limit: number): Promise<SearchRows>;
  views(range: InstantRange, options?: SyntheticOption): Promise<ViewRows>;
  accounts(range: InstantRange): Promise<AccountRows>;
  likes(range: InstantRange, limit: number): Promise<LikeRows>;
  close(): Promise<void>;
}

export type UnavailableReason = 'timeout' | 'cache-too-small' | 'failed';

/** The lake could not be read for the dashboard: the service answers 503 with the message. */
export class AnalyticsUnavailable extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AnalyticsUnavailable';
  }
}
