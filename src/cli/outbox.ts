import { existsSync } from 'node:fs';
import { outboxFileOf, type SetAsideRow } from '../pipeline/outbox/outbox.js';
import type { Command } from './command.js';
import type { CommandIo } from './import.js';
import { configFromEnvironment, databaseExists, openContainer } from './runtime.js';
import { counted } from '../platform/plural.js';

const USAGE = `usage: ticketmoa outbox set-aside [--replay | --drop]

Events the bus refused for good (Kafka: larger than KAFKA_MAX_BATCH_BYTES or the broker's
message.max.bytes, or an invalid record) are set aside in the outbox of this data directory
(TICKETMOA_DATA_DIR) with the refusal, so they stop blocking the events behind them. Run this
where that outbox is (docker compose exec api-1 …), beside a running service or not.

without a flag  lists them: topic, outbox id, event id and time, size, and why (with a count)
--replay        puts them back at the end of their topic's log: the forwarder (or the embedded
                bus's sink) sends them again on its next poll, as any other event; fix the cause
                first, or they are set aside again. Readers count each event_id once.
--drop          deletes them for good

Each replayed and dropped event is printed and counted in the outbox file, which /metrics shows
as ticketmoa_events_set_aside_replayed_total and ticketmoa_events_set_aside_dropped_total.`;

interface Described {
  eventId: string;
  timestamp: string;
}

function describe(row: SetAsideRow): Described {
  try {
    const event = JSON.parse(row.payload) as { event_id?: unknown; timestamp?: unknown };
    return {
      eventId: typeof event.event_id === 'string' ? event.event_id : '?',
      timestamp: typeof event.timestamp === 'string' ? event.timestamp : '?',
    };
  } catch {
    return { eventId: '?', timestamp: '?' };
  }
}

const line = (row: SetAsideRow, id = `#${row.id}`) => {
  const { eventId, timestamp } = describe(row);
  return `  ${row.topic} ${id}  event ${eventId} at ${timestamp}  ${Buffer.byteLength(row.payload)} bytes: ${row.reason}\n`;
};

export function createOutboxCommand(io: CommandIo = process): Command {
  return {
    summary: 'list the events the bus refused for good (set aside in the outbox), send them again or delete them',
    usage: USAGE,
    async run(args, { parseArgs }) {
      let mode: 'list' | 'replay' | 'drop';
      try {
        const { values, positionals } = parseArgs({
          args,
          options: { replay: { type: 'boolean', default: false }, drop: { type: 'boolean', default: false } },
          allowPositionals: true,
        });
        if (positionals.length !== 1 || positionals[0] !== 'set-aside') throw new Error('name what to look at: ticketmoa outbox set-aside');
        if (values.replay && values.drop) throw new Error('--replay and --drop exclude each other');
        mode = values.replay ? 'replay' : values.drop ? 'drop' : 'list';
      } catch (err) {
        io.stderr.write(`ticketmoa outbox: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
        return 2;
      }
      const config = configFromEnvironment();
      if (!config) return 2;
      if (!databaseExists('outbox', config, io.stderr)) return 1;
      const outboxFile = outboxFileOf(config.dataDir);
      if (!existsSync(outboxFile)) {
        io.stderr.write(
          `ticketmoa outbox: no outbox at ${outboxFile} (TICKETMOA_DATA_DIR ${config.dataDir}); run it where the service's data dir is\n`,
        );
        return 1;
      }
      const container = await openContainer('outbox', config, { mayCreate: false, stderr: io.stderr });
      if (!container) return 1;
      try {
        const { outbox } = container.pipeline;
        if (mode === 'list') {
          const rows = outbox.setAsideRows();
          if (rows.length === 0) {
            io.stdout.write('outbox: no events set aside\n');
            return 0;
          }
          io.stdout.write(`outbox: ${counted(rows.length, 'event')} set aside:\n${rows.map((r) => line(r)).join('')}`);
          io.stdout.write('send them again with --replay once the cause is fixed, or delete them with --drop\n');
          return 0;
        }
        const rows: (SetAsideRow & { newId?: number })[] = mode === 'replay' ? outbox.replaySetAside() : outbox.dropSetAside();
        if (rows.length === 0) {
          io.stdout.write(`outbox: no events set aside, none ${mode === 'replay' ? 'replayed' : 'deleted'}\n`);
          return 0;
        }
        const done = mode === 'replay' ? 'put back to be sent again' : 'deleted';
        const lines = rows.map((r) => line(r, r.newId === undefined ? undefined : `#${r.id} → #${r.newId}`));
        io.stdout.write(`outbox: ${counted(rows.length, 'set-aside event')} ${done}:\n${lines.join('')}`);
        return 0;
      } finally {
        await container.close();
      }
    },
  };
}

export const outboxCommand = createOutboxCommand();
