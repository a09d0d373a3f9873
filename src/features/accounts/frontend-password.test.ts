import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { frontendPassword } from './frontend-password.js';

/** What the admin page computes in the browser (web/admin/password.ts), with the same library. */
const inTheBrowser = (typed: string) => btoa(bytesToHex(hmac(sha256, utf8ToBytes('encore-team1'), utf8ToBytes(typed))));

describe('the frontend password transform', () => {
  it('when given the documented example, then it answers the documented string (docs/contract.md §2)', () => {
    expect(frontendPassword('Moa2026!x')).toBe('MWU4MGQ0YzFjYTI4OGRhNjk2MjYzODg4NDE0ZTNkM2Y2Y2JmZjI5ZmRmY2UwYjM1ZjU1ODQ3MmIwOWNhNzgxNQ==');
  });

  it('when the password has Korean letters, spaces or symbols, then it matches what the admin page sends', () => {
    for (const typed of ['비밀번호1!', ' leading and trailing ', 'ü€😀', 'a']) expect(frontendPassword(typed)).toBe(inTheBrowser(typed));
  });
});
