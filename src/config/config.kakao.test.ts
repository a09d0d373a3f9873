import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const HEX_KEY = '8f3a1c5e7b9d2f4061a3c5e7092b4d6f8a1c3e5f7092b4d6e8f0a2c4e6a8c0e2';

describe('Kakao settings', () => {
  it('when nothing is set, then the ticket lives 60 s and the token key is derived (undefined here)', () => {
    const { kakao } = loadConfig({}, '/tmp');
    expect(kakao.ticketTtlSeconds).toBe(60);
    expect(kakao.tokenKey).toBeUndefined();
  });

  it('when KAKAO_TOKEN_KEY is 32 bytes as hex or base64, then it is used as is', () => {
    const hex = loadConfig({ KAKAO_TOKEN_KEY: HEX_KEY }, '/tmp').kakao.tokenKey;
    expect(Buffer.from(hex!).toString('hex')).toBe(HEX_KEY);
    const b64 = Buffer.from(HEX_KEY, 'hex').toString('base64');
    expect(Buffer.from(loadConfig({ KAKAO_TOKEN_KEY: b64 }, '/tmp').kakao.tokenKey!).toString('hex')).toBe(HEX_KEY);
    const b64url = Buffer.from(HEX_KEY, 'hex').toString('base64url');
    expect(Buffer.from(loadConfig({ KAKAO_TOKEN_KEY: b64url }, '/tmp').kakao.tokenKey!).toString('hex')).toBe(HEX_KEY);
  });

  it.each([
    ['too short', 'c2hvcnQ='],
    ['a passphrase', 'correct horse battery staple correct horse'],
    ['31 bytes of hex', HEX_KEY.slice(2)],
    ['all zeros', '0'.repeat(64)],
    ['a repeated pattern', Buffer.alloc(32, 'ab').toString('base64')],
  ])('when KAKAO_TOKEN_KEY is %s, then the configuration is refused', (_what, value) => {
    expect(() => loadConfig({ KAKAO_TOKEN_KEY: value }, '/tmp')).toThrow(ConfigError);
    expect(() => loadConfig({ KAKAO_TOKEN_KEY: value }, '/tmp')).toThrow(/KAKAO_TOKEN_KEY/);
  });

  it('when KAKAO_REDIRECT_URI is unset, then it is the callback at PUBLIC_URL, else at localhost on PORT', () => {
    expect(loadConfig({}, '/tmp').kakao.redirectUri).toBe('http://localhost:8000/kakao/callback');
    expect(loadConfig({ PORT: '8123' }, '/tmp').kakao.redirectUri).toBe('http://localhost:8123/kakao/callback');
    expect(loadConfig({ PORT: '8123', PUBLIC_URL: 'https://tickets.example.com/' }, '/tmp').kakao.redirectUri).toBe(
      'https://tickets.example.com/kakao/callback',
    );
    expect(loadConfig({ PUBLIC_URL: 'https://example.com/moa' }, '/tmp').kakao.redirectUri).toBe('https://example.com/moa/kakao/callback');
    expect(loadConfig({ PUBLIC_URL: 'https://example.com', KAKAO_REDIRECT_URI: 'https://auth.example.com/cb' }, '/tmp').kakao.redirectUri).toBe(
      'https://auth.example.com/cb',
    );
  });

  it('when KAKAO_TICKET_TTL_SECONDS is out of range, then the configuration is refused', () => {
    expect(loadConfig({ KAKAO_TICKET_TTL_SECONDS: '120' }, '/tmp').kakao.ticketTtlSeconds).toBe(120);
    expect(() => loadConfig({ KAKAO_TICKET_TTL_SECONDS: '0' }, '/tmp')).toThrow(/KAKAO_TICKET_TTL_SECONDS/);
    expect(() => loadConfig({ KAKAO_TICKET_TTL_SECONDS: '3600' }, '/tmp')).toThrow(/KAKAO_TICKET_TTL_SECONDS/);
  });
});
