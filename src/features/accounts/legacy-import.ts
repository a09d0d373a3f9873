import type { Clock } from '../../platform/clock.js';
import type { AccountStore, UserRecord } from './account.store.js';
import type { PasswordHasher } from './password-hasher.js';
import { isRealDate, normalisePhone } from './signup-rules.js';

/**
 * Loads `mongoexport` dumps of the legacy `users` and `kakao` collections (NDJSON or a JSON array,
 * Extended JSON allowed). Legacy passwords are the frontend-encoded strings in clear; only their
 * argon2id hash is stored. Accounts that already exist are left alone, so a re-run is harmless.
 */
export interface ImportReport {
  users: number;
  kakao: number;
  existing: number;
  rejected: { line: number; reason: string }[];
}

type Doc = Record<string, unknown>;

const LEGACY_ID = /^[^\s:]{1,64}$/;
const HASH_CONCURRENCY = 4;

/** `{"$numberLong": "1"}`, `{"$oid": ...}` and friends → plain values. */
function plain(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Doc;
    for (const k of ['$oid', '$numberLong', '$numberInt', '$numberDouble', '$date']) if (k in o) return plain(o[k]);
  }
  return v;
}

function text(doc: Doc, ...paths: string[]): string | null {
  for (const p of paths) {
    let v: unknown = doc;
    for (const part of p.split('.')) v = v !== null && typeof v === 'object' ? plain((v as Doc)[part]) : undefined;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return null;
}

export function parseMongoExport(content: string): Doc[] {
  const trimmed = content.trim();
  if (trimmed === '') return [];
  const docs = trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as unknown[])
    : trimmed
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown);
  return docs.map((d) => (d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Doc) : {}));
}

type Planned = { kind: 'local'; user: Omit<UserRecord, 'passwordHash'>; password: string } | { kind: 'kakao'; user: UserRecord };

function birthdayOf(raw: string | null): string | null {
  if (raw === null) return null;
  const dashed = /^\d{8}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6)}` : raw.replaceAll('.', '-').slice(0, 10);
  return isRealDate(dashed) ? dashed : null;
}

function plan(doc: Doc, now: Date): Planned | string {
  const base = {
    phoneNumber: null,
    gender: null,
    birthday: null,
    agreeMarketing: false,
    userType: 0 as const,
    profileImage: null,
    createdAt: now,
    updatedAt: now,
  };
  const password = text(doc, 'pw', 'password');
  if (password !== null) {
    const id = text(doc, 'id', 'user_id');
    if (id === null || !LEGACY_ID.test(id)) return 'user without a usable id';
    const gender = text(doc, 'gender')?.toUpperCase();
    const email = text(doc, 'email');
    const marketing = text(doc, 'agreeMarketing', 'agree_marketing');
    return {
      kind: 'local',
      password,
      user: {
        ...base,
        id,
        kind: 'local',
        username: (text(doc, 'username', 'name') ?? id).slice(0, 100),
        email: email !== null && email.includes('@') ? email : null,
        phoneNumber: normalisePhone(text(doc, 'phoneNumber', 'phone_number', 'phone') ?? '') ?? null,
        gender: gender === 'M' || gender === 'F' ? gender : null,
        birthday: birthdayOf(text(doc, 'birthday', 'birth')),
        agreeMarketing: marketing?.toLowerCase() === 'true',
        userType: text(doc, 'user_type', 'userType') === '1' ? 1 : 0,
      },
    };
  }
  const kakaoId = text(doc, 'kakao_id', 'kakaoId', 'id');
  if (kakaoId === null || !/^\d{1,20}$/.test(kakaoId)) return 'neither a user with a password nor a Kakao user with a numeric id';
  return {
    kind: 'kakao',
    user: {
      ...base,
      id: `kakao:${kakaoId}`,
      kind: 'kakao',
      passwordHash: null,
      username: (text(doc, 'nickname', 'properties.nickname', 'kakao_account.profile.nickname', 'username') ?? `kakao${kakaoId}`).slice(0, 100),
      email: text(doc, 'email', 'kakao_account.email', 'account_email'),
      profileImage: text(
        doc,
        'profile_image',
        'profile_image_url',
        'profileImage',
        'properties.profile_image',
        'kakao_account.profile.profile_image_url',
      ),
    },
  };
}

export class LegacyUserImporter {
  constructor(private readonly deps: { store: AccountStore; hasher: PasswordHasher; clock: Clock }) {}

  async import(docs: readonly Doc[]): Promise<ImportReport> {
    const report: ImportReport = { users: 0, kakao: 0, existing: 0, rejected: [] };
    const now = this.deps.clock.now();
    const planned = docs.map((d, i) => ({ line: i + 1, p: plan(d, now) }));
    for (let i = 0; i < planned.length; i += HASH_CONCURRENCY) {
      await Promise.all(
        planned.slice(i, i + HASH_CONCURRENCY).map(async ({ line, p }) => {
          if (typeof p === 'string') return void report.rejected.push({ line, reason: p });
          if (await this.deps.store.findUser(p.user.id)) return void (report.existing += 1);
          const user: UserRecord = p.kind === 'local' ? { ...p.user, passwordHash: await this.deps.hasher.hash(p.password) } : p.user;
          if (!(await this.deps.store.insertUser(user))) return void (report.existing += 1);
          if (p.kind === 'local') report.users += 1;
          else report.kakao += 1;
        }),
      );
    }
    return report;
  }
}
