/** What the KOPIS Open API answers, read into plain records (every field optional but the id). */

export interface KopisListItem {
  mt20id: string;
  prfnm?: string | undefined;
  /** `yyyy.MM.dd` */
  prfpdfrom?: string | undefined;
  prfpdto?: string | undefined;
  fcltynm?: string | undefined;
  poster?: string | undefined;
  /** Province label, e.g. `서울특별시`. */
  area?: string | undefined;
  /** Genre label, e.g. `뮤지컬`. */
  genrenm?: string | undefined;
  openrun?: string | undefined;
  prfstate?: string | undefined;
}

export interface KopisRelate {
  /** Booking site name; sometimes missing. */
  name: string | undefined;
  url: string;
}

export interface KopisDetail extends KopisListItem {
  mt10id?: string | undefined;
  mt13id?: string | undefined;
  prfcast?: string | undefined;
  prfcrew?: string | undefined;
  prfruntime?: string | undefined;
  prfage?: string | undefined;
  entrpsnm?: string | undefined;
  /** Price text, e.g. `R석 150,000원, S석 154,000원`. */
  pcseguidance?: string | undefined;
  /** Synopsis. */
  sty?: string | undefined;
  /** Schedule text, e.g. `화요일 ~ 금요일(19:30)`. */
  dtguidance?: string | undefined;
  /** `yyyy-MM-dd HH:mm:ss` */
  updatedate?: string | undefined;
  child?: string | undefined;
  visit?: string | undefined;
  festival?: string | undefined;
  frstregdt?: string | undefined;
  styurls: string[];
  relates: KopisRelate[];
}

export interface KopisBoxofficeItem {
  rank: number;
  mt20id: string;
  prfnm?: string | undefined;
  cate?: string | undefined;
  area?: string | undefined;
  /** `yyyy.MM.dd~yyyy.MM.dd` */
  prfpd?: string | undefined;
  prfplcnm?: string | undefined;
  seatcnt?: string | undefined;
  prfdtcnt?: string | undefined;
  poster?: string | undefined;
}

/** Dates in requests are `yyyyMMdd`. */
export interface KopisListQuery {
  stdate: string;
  eddate: string;
  cpage: number;
  rows: number;
  /** One province code per call. */
  signgucode?: string | undefined;
  /** Only records registered or changed on or after this day. */
  afterdate?: string | undefined;
}

export interface KopisBoxofficeQuery {
  stdate: string;
  eddate: string;
  catecode?: string | undefined;
  area?: string | undefined;
}

/** The KOPIS Open API, throttled, retried and counted against the daily budget. */
export interface KopisClient {
  list(query: KopisListQuery, signal?: AbortSignal): Promise<KopisListItem[]>;
  /** undefined when KOPIS has no such performance. */
  detail(mt20id: string, signal?: AbortSignal): Promise<KopisDetail | undefined>;
  boxoffice(query: KopisBoxofficeQuery, signal?: AbortSignal): Promise<KopisBoxofficeItem[]>;
  /** Calls made by this client (attempts, retries included). */
  calls(): number;
}

/** One GET of `<base>/<path>?<params>` (the service key is added by the transport): the body text. */
export type KopisTransport = (path: string, params: Readonly<Record<string, string>>, signal?: AbortSignal) => Promise<string>;

const CODE_MEANING: Readonly<Record<string, string>> = {
  '01': 'parameter error',
  '02': 'unregistered service key (check KOPIS_SERVICE_KEY)',
  '03': 'KOPIS database error',
  '04': 'no data',
  '05': 'period longer than 31 days',
  '06': 'more than 100 rows per page',
};

/** A result code other than `00` in the answer. `03` (a KOPIS database error) is worth retrying. */
export class KopisApiError extends Error {
  constructor(
    readonly code: string,
    detail?: string,
  ) {
    super(`KOPIS result code ${code}: ${CODE_MEANING[code] ?? 'unknown code'}${detail ? ` (${detail})` : ''}`);
    this.name = 'KopisApiError';
  }
  get retryable(): boolean {
    return this.code === '03';
  }
}

/**
 * The answer was not the XML KOPIS sends. A maintenance or block page or a truncated body is
 * retried, then an error; a well-formed answer the reader refuses (a DOCTYPE declaring entities,
 * something the parser cannot read) would come back the same, so it is not retried.
 */
export class KopisFormatError extends Error {
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'KopisFormatError';
  }
}

/** The HTTP exchange failed: a status other than 200, a timeout or a network error. */
export class KopisHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'KopisHttpError';
  }
}

/** The day's call budget is spent: the sync stops and the next run resumes where it stopped. */
export class KopisBudgetExhaustedError extends Error {
  constructor(
    readonly limit: number,
    readonly day: string,
  ) {
    super(`the daily KOPIS call budget (${limit} calls, KOPIS_DAILY_CALL_BUDGET) is spent for ${day}`);
    this.name = 'KopisBudgetExhaustedError';
  }
}
