import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { EventRecorder } from '../events.js';
import { durableEventsHook } from './durable-events.hook.js';

describe('holding responses until their events are durable', () => {
  it('when the outbox has not committed yet, then the answer waits for it', async () => {
    let release: () => void = () => {};
    let waiting: Promise<void> | undefined;
    const events: EventRecorder = {
      record: () => {
        waiting = new Promise((resolve) => (release = resolve));
      },
      durable: () => waiting ?? Promise.resolve(),
    };
    const app = Fastify();
    await app.register(durableEventsHook, { events });
    await app.register(async (scoped) => {
      scoped.get('/search', async () => {
        events.record('Search_log', 'search', { user_id: 'anonymous', device: '' }, {});
        return { ok: true };
      });
    });
    let answered = false;
    const response = app.inject({ url: '/search' }).then((res) => {
      answered = true;
      return res;
    });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    release();
    expect((await response).json()).toEqual({ ok: true });
    await app.close();
  });
});
