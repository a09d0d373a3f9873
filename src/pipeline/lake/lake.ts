/** An object in the lake. Keys use `/` separators, e.g. `logs/Search_log/….parquet`. */
export interface LakeObject {
  key: string;
  size: number;
}

/**
 * Where the event log's Parquet files live: a local folder (`file://`) or S3 (`s3://`).
 * Adapters: local, S3, and memory for unit tests; one contract test runs against all.
 */
export interface Lake {
  /** Writes an object atomically: no reader ever sees a partial object under `key`. Overwrites. */
  put(key: string, body: Uint8Array): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Every object whose key starts with `prefix`, ordered by key. */
  list(prefix: string): Promise<LakeObject[]>;
  /**
   * Writes a local file's bytes as the object under `key`, atomically as `put`, streaming them
   * (a compacted day file may be larger than a process should hold in memory).
   */
  putFile(key: string, file: string): Promise<void>;
  /** Removes the object; removing one that is not there is no error. */
  delete(key: string): Promise<void>;
}
