/** What this service needs from Kakao's OAuth and user APIs. */
export interface KakaoClient {
  /** Where to send the browser to log in at Kakao. */
  authorizeUrl(state: string): string;
  /** POST /oauth/token with an authorization code. */
  exchangeCode(code: string): Promise<KakaoTokenGrant>;
  /** GET /v2/user/me. */
  profile(accessToken: string): Promise<KakaoProfile>;
  /** POST /v1/user/logout: expires the Kakao tokens. */
  logout(accessToken: string): Promise<void>;
}

export interface KakaoTokenGrant {
  accessToken: string;
  refreshToken: string | null;
}

export interface KakaoProfile {
  kakaoId: string;
  nickname: string;
  email: string | null;
  profileImage: string | null;
}

/** `rejected`: Kakao answered 4xx (bad or used code, invalid token); `unavailable`: down, slow or garbled. */
export type KakaoFailure = 'rejected' | 'unavailable';

export class KakaoError extends Error {
  constructor(
    readonly failure: KakaoFailure,
    message: string,
  ) {
    super(message);
    this.name = 'KakaoError';
  }
}
