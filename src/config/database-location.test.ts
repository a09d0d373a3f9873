import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDatabase } from './database-location.js';

describe('which database a command uses, as it says', () => {
  it('when DATABASE_URL is unset, then it names the SQLite file in the data dir and TICKETMOA_DATA_DIR', () => {
    expect(describeDatabase({ dataDir: '/srv/moa/data', databaseUrl: undefined })).toBe(
      'SQLite database /srv/moa/data/ticketmoa.db (TICKETMOA_DATA_DIR /srv/moa/data)',
    );
  });

  it('when DATABASE_URL names a SQLite file, then it names that file, resolved', () => {
    expect(describeDatabase({ dataDir: '/srv/moa/data', databaseUrl: 'sqlite:moa.db' })).toBe(
      `SQLite database ${path.resolve('moa.db')} (DATABASE_URL)`,
    );
  });

  it('when DATABASE_URL is PostgreSQL, then it shows the URL with the password hidden, in the userinfo and the query', () => {
    const said = describeDatabase({
      dataDir: '/d',
      databaseUrl: 'postgres://moa:s3cret-pw@db.example:5432/ticketmoa?sslmode=require&password=other-pw',
    });
    expect(said).toBe('PostgreSQL database postgres://moa:***@db.example:5432/ticketmoa?sslmode=require&password=*** (DATABASE_URL)');
    expect(said).not.toMatch(/s3cret|other-pw/);
  });

  it('when the PostgreSQL URL has no password, then it is shown as it is', () => {
    expect(describeDatabase({ dataDir: '/d', databaseUrl: 'postgresql://moa@localhost/test' })).toBe(
      'PostgreSQL database postgresql://moa@localhost/test (DATABASE_URL)',
    );
  });
});
