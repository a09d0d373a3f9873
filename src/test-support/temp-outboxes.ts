import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openOutbox, type Outbox } from '../pipeline/outbox/outbox.js';

/** Outboxes in temporary folders, closed and removed by `cleanUp()` (call it in afterEach). */
export function tempOutboxes() {
  const dirs: string[] = [];
  const outboxes: Outbox[] = [];
  const outboxFile = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-lock-'));
    dirs.push(dir);
    return path.join(dir, 'outbox.db');
  };
  return {
    outboxFile,
    open(file = outboxFile()): Outbox {
      const outbox = openOutbox(file);
      outboxes.push(outbox);
      return outbox;
    },
    cleanUp() {
      for (const o of outboxes.splice(0)) o.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
