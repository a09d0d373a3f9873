import { createHmac } from 'node:crypto';

/**
 * The frontend's password transform (docs/contract.md §2): what a browser sends for the password
 * a person typed, base64(hex(HMAC-SHA256(password, key "encore-team1"))). The server treats that
 * string as the password; the admin page (web/admin/password.ts) applies the same transform, so an
 * account made with it from the command line logs in there with the typed password.
 */
export function frontendPassword(typed: string): string {
  return Buffer.from(createHmac('sha256', 'encore-team1').update(typed, 'utf8').digest('hex')).toString('base64');
}
