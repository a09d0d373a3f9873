/** A one-time ticket as stored: never the ticket itself, only the SHA-256 of it. */
export interface KakaoTicketRecord {
  /** What the ticket redeems to, sealed (see token-cipher.ts). */
  payload: string;
  expiresAt: Date;
}

/** The one-time tickets that carry a Kakao login from `/kakao/callback` to `/kakao/getToken`. */
export interface KakaoTicketStore {
  insert(hash: string, record: KakaoTicketRecord, createdAt: Date): Promise<void>;
  /**
   * Removes the ticket and returns what it held, in one statement: of any number of concurrent
   * takes of one ticket (on any instance), exactly one gets it. Expired tickets are returned too
   * (and so removed); the caller decides.
   */
  take(hash: string): Promise<KakaoTicketRecord | undefined>;
  /** Deletes tickets that expired before `before`; how many. */
  prune(before: Date): Promise<number>;
}
