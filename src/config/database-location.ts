/**
 * Where the configured database is: the SQLite file `DATABASE_URL` (or `TICKETMOA_DATA_DIR`)
 * names, and how to say which database a command uses without showing a password.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

type Location = Pick<Config, 'dataDir' | 'databaseUrl'>;

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:/.test(url);
}

export function sqliteFileOf(config: Location): string {
  const url = config.databaseUrl;
  if (url === undefined) return path.join(config.dataDir, 'ticketmoa.db');
  if (url.startsWith('sqlite:') || url.startsWith('file:')) {
    const rest = url.replace(/^(sqlite|file):(\/\/)?/, '');
    return rest === ':memory:' ? rest : path.resolve(rest);
  }
  throw new Error(`DATABASE_URL ${new URL(url).protocol}// is not supported; unset it to use SQLite`);
}

/**
 * Which database `config` names, for people: the SQLite file and the setting that chose it, or
 * `DATABASE_URL` with its password (and any password in the query) hidden.
 */
export function describeDatabase(config: Location): string {
  const url = config.databaseUrl;
  if (url === undefined) return `SQLite database ${sqliteFileOf(config)} (TICKETMOA_DATA_DIR ${config.dataDir})`;
  if (!isPostgresUrl(url)) return `SQLite database ${sqliteFileOf(config)} (DATABASE_URL)`;
  return `PostgreSQL database ${hidePassword(url)} (DATABASE_URL)`;
}

function hidePassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, '***');
    return u.href;
  } catch {
    return '(a DATABASE_URL that is not a URL)';
  }
}

/**
 * The SQLite file that opening `config`'s database would create, when it does not exist yet;
 * undefined for PostgreSQL, `:memory:` and an existing file.
 */
export function sqliteFileToCreate(config: Location): string | undefined {
  if (isPostgresUrl(config.databaseUrl)) return undefined;
  const file = sqliteFileOf(config);
  return file === ':memory:' || existsSync(file) ? undefined : file;
}
