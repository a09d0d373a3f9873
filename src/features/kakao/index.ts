export { KakaoService, type KakaoDeps, type KakaoLoginResult } from './kakao.service.js';
export { kakaoRoutes, type KakaoRouteDeps } from './kakao.routes.js';
export { createHttpKakaoClient } from './http-kakao-client.js';
export { KakaoError, type KakaoClient, type KakaoFailure, type KakaoProfile, type KakaoTokenGrant } from './kakao.client.js';
export type { KakaoTicketStore, KakaoTicketRecord } from './kakao-ticket.store.js';
export { createPostgresKakaoTicketStore } from './postgres-kakao-ticket-store.js';
export { createSqliteKakaoTicketStore } from './sqlite-kakao-ticket-store.js';
export { createTokenCipher, resolveKakaoTokenKey, type TokenCipher } from './token-cipher.js';
