import { afterEach, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../test-support/app.js';
import type { LoggedEvent } from './events.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('recording user actions in the service', () => {
  it('when a visitor searches, then the event is in the outbox by the time the answer arrives', async () => {
    service = await startTestService({ TICKETMOA_NOW: '2026-11-27T12:00:00+09:00' });
    const res = await service.app.inject({
      url: '/search?keyword=%EC%98%A4%ED%8E%98%EB%9D%BC&region=%EC%84%9C%EC%9A%B8',
      headers: { 'user-agent': 'Browser/1.0' },
    });
    expect(res.statusCode).toBe(200);
    const rows = service.container.pipeline.outbox.readTopic('Search_log', 0, 10);
    expect(rows).toHaveLength(1);
    const event = JSON.parse(rows[0]!.payload) as LoggedEvent;
    // Anonymous events are keyed by their own id, so they spread over the Kafka partitions.
    expect(rows[0]!.key).toBe(event.event_id);
    expect(event).toMatchObject({
      timestamp: '2026-11-27T12:00:00.000+09:00',
      topic: 'Search_log',
      action: 'search',
      user_id: 'anonymous',
      device: 'Browser/1.0',
      keyword: '오페라',
      region: '서울',
      result_count: 0,
    });
  });

  it('when events are switched off, then requests leave the outbox empty', async () => {
    service = await startTestService({ TICKETMOA_EVENTS: 'off' });
    expect((await service.app.inject({ url: '/search?keyword=x' })).statusCode).toBe(200);
    expect(service.container.pipeline.outbox.size()).toBe(0);
  });

  it('when events wait in the outbox, then /healthz shows the backlog and the age of the oldest', async () => {
    service = await startTestService({ TICKETMOA_SINK: 'off' });
    const health = async () => (await service!.app.inject({ url: '/healthz' })).json();
    expect(await health()).toMatchObject({ status: 'ok', events: { bus: 'embedded', backlog: 0, oldestAgeMs: 0, lost: 0 } });
    for (const k of ['a', 'b', 'c']) await service.app.inject({ url: `/search?keyword=${k}` });
    await new Promise((r) => setTimeout(r, 30));
    const after = await health();
    expect(after).toMatchObject({ status: 'ok', events: { backlog: 3, lost: 0, setAside: 0 } });
    expect(after.events.oldestAgeMs).toBeGreaterThanOrEqual(20);
  });

  it('when the outbox cannot be written, then requests are still answered and /healthz says degraded with the loss', async () => {
    service = await startTestService({ TICKETMOA_NOW: '2026-11-27T12:00:00+09:00' });
    const { outbox } = service.container.pipeline;
    outbox.appendMany = () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const answers = await Promise.all(['a', 'b'].map((k) => service!.app.inject({ url: `/search?keyword=${k}` })));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200]);
    const res = await service.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'degraded', events: { lost: 2, lastError: expect.stringContaining('disk is full') } });
  });
});
