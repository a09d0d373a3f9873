export { KakaoService, type KakaoDeps, type KakaoLoginResult } from './kakao.service.js';
export { kakaoRoutes, type KakaoRouteDeps } from './kakao.routes.js';
export { createHttpKakaoClient } from './http-kakao-client.js';
export { KakaoError, type KakaoClient, type KakaoFailure, type KakaoProfile, type KakaoTokenGrant } from './kakao.client.js';
