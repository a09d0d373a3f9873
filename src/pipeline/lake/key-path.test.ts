import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lakeKeyPath, requireLakeKeyPath, unsafeLakeKeyReason } from './key-path.js';

const ROOT = path.resolve('/data/lake-cache');

describe('a lake key as a local path', () => {
  it('when the key is an event file, then it is the file under the folder', () => {
    expect(lakeKeyPath(ROOT, 'logs/Search_log/20261127T000000.000-kafka-p0-o000000000000.parquet')).toBe(
      path.join(ROOT, 'logs', 'Search_log', '20261127T000000.000-kafka-p0-o000000000000.parquet'),
    );
    expect(lakeKeyPath('relative/dir', 'logs/a.parquet')).toBe(path.resolve('relative/dir', 'logs', 'a.parquet'));
  });

  it.each([
    ['', 'empty key'],
    ['logs/Search_log/../../../x.parquet', '".." segment'],
    ['..', '".." segment'],
    ['logs/./x.parquet', '"." or'],
    ['logs//x.parquet', 'empty segment'],
    ['logs/x/', 'empty segment'],
    ['/etc/passwd', 'absolute key'],
    ['logs\\..\\..\\x.parquet', 'backslash'],
    ['logs/x\u0000.parquet', 'NUL'],
  ])('when the key is %j, then it is refused (%s)', (key, reason) => {
    expect(unsafeLakeKeyReason(key)).toContain(reason);
    expect(lakeKeyPath(ROOT, key)).toBeUndefined();
    expect(() => requireLakeKeyPath(ROOT, key)).toThrow(/not a valid lake key/);
  });

  it('when a segment only looks like a parent (`..x`, `x..`), then it is an ordinary name inside the folder', () => {
    expect(lakeKeyPath(ROOT, 'logs/..x/x...parquet')).toBe(path.join(ROOT, 'logs', '..x', 'x...parquet'));
  });
});
