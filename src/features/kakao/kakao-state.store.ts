/** A state that reached `/kakao/callback`, as stored: only hashes, never the state or the cookie. */
export interface UsedKakaoState {
  /** SHA-256 of the browser-binding cookie the state was signed for. */
  bindingHash: string;
  /** When `/kakao/getcode` issued it. */
  createdAt: Date;
  /** When it stops being accepted anyway (its signed expiry): the row may go after that. */
  expiresAt: Date;
}

/** The Kakao login states already used: what makes a state good for one callback, on every instance. */
export interface KakaoStateStore {
  /**
   * Marks the state (by its SHA-256) used, in one statement: true for the first use, false when it
   * was used before. Of any number of concurrent uses (on any instance), exactly one gets true.
   */
  use(stateHash: string, state: UsedKakaoState, usedAt: Date): Promise<boolean>;
  /** Deletes states that expired before `before`; how many. */
  prune(before: Date): Promise<number>;
}
