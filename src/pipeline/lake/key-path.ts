import path from 'node:path';

/**
 * Why a lake key cannot name a file under a local folder, or undefined when it can. A key comes
 * from a listing (S3 or a folder), and S3 accepts any string: `logs/Search_log/../../../x.parquet`
 * is a valid S3 key that, joined to a folder, names a file outside it.
 */
export function unsafeLakeKeyReason(key: string): string | undefined {
  if (key === '') return 'empty key';
  if (key.includes('\u0000')) return 'NUL in the key';
  if (key.includes('\\')) return 'backslash in the key';
  if (key.startsWith('/') || path.isAbsolute(key)) return 'absolute key';
  const segments = key.split('/');
  if (segments.some((s) => s === '')) return 'empty segment in the key';
  if (segments.some((s) => s === '.' || s === '..')) return '"." or ".." segment in the key';
  return undefined;
}

/**
 * The local path of `key` under `root`, or undefined when the key could name anything outside it
 * (see `unsafeLakeKeyReason`); the resolved path is checked to stay strictly inside `root` too.
 * Every place that turns a lake key into a file path goes through here.
 */
export function lakeKeyPath(root: string, key: string): string | undefined {
  if (unsafeLakeKeyReason(key) !== undefined) return undefined;
  const base = path.resolve(root);
  const file = path.resolve(base, ...key.split('/'));
  const inside = path.relative(base, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) return undefined;
  return file;
}

/** `lakeKeyPath`, throwing for a key it refuses (a writer, which must never write outside its folder). */
export function requireLakeKeyPath(root: string, key: string): string {
  const file = lakeKeyPath(root, key);
  if (file === undefined) {
    throw new Error(`not a valid lake key (${unsafeLakeKeyReason(key) ?? 'outside the folder'}): ${JSON.stringify(key)}`);
  }
  return file;
}
