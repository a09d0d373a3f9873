import type { Lake, LoggedEvent, Topic } from '../pipeline/index.js';
import { eventFileKey } from '../pipeline/index.js';
import { writeEventsParquet } from '../pipeline/sink/parquet.js';
import { kstTimestamp } from '../platform/kst.js';

/**
 * A generated history for the lake: `days` KST days of `eventsPerDay` events per topic, spread
 * evenly over each day, written as the sink writes them (its Parquet writer, its names, files of
 * `fileEvents` events). Deterministic for a seed. `npm run bench:lake` measures on it; any job
 * over the lake (popular, recommendations) can use it for its own measurements or tests.
 */
export interface LakeMonthOptions {
  /** The last generated day, `YYYY-MM-DD` (KST); the days before it are generated too. */
  lastDay: string;
  days?: number;
  eventsPerDay?: number;
  /** Default: View_detail_log and Search_log. */
  topics?: readonly Topic[];
  fileEvents?: number;
  /** Distinct runs viewed (views follow a Zipf-like skew) and distinct users. */
  runs?: number;
  users?: number;
  seed?: number;
  /** Called after each file (for progress). */
  onFile?: (key: string, written: number) => void;
}

export interface LakeMonth {
  files: number;
  bytes: number;
  events: number;
  /** Run ids as the generator names them (`ticketId(i)`), most viewed first. */
  runIds: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEVICES = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15',
];
const CATEGORIES = ['뮤지컬', '콘서트', '연극', '클래식', '무용'];
const KEYWORDS = ['레미제라블', '아이유', '햄릿', '오페라의 유령', '라이온킹', '세종문화회관', '대학로', '발레', '재즈', '없는공연'];

/** A small fast PRNG (mulberry32): the same seed gives the same month. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 24-hex id of the generator's run `i`. */
export const ticketId = (i: number): string => `beefbeefbeef${i.toString(16).padStart(12, '0')}`;

export async function generateLakeMonth(lake: Lake, options: LakeMonthOptions): Promise<LakeMonth> {
  const days = options.days ?? 30;
  const perDay = options.eventsPerDay ?? 50_000;
  const topics = options.topics ?? ['View_detail_log', 'Search_log'];
  const fileEvents = options.fileEvents ?? 1000;
  const runs = options.runs ?? 2000;
  const users = options.users ?? 20_000;
  const next = random(options.seed ?? 25);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  // Zipf-like: run k is picked with weight ~ 1/(k+1)
  const run = () => Math.min(runs - 1, Math.floor(Math.exp(next() * Math.log(runs + 1)) - 1));
  const lastStart = Date.parse(`${options.lastDay}T00:00:00+09:00`);
  if (Number.isNaN(lastStart)) throw new Error(`lastDay wants YYYY-MM-DD, not ${options.lastDay}`);
  const out: LakeMonth = { files: 0, bytes: 0, events: 0, runIds: Array.from({ length: runs }, (_, i) => ticketId(i)) };
  let offset = 1;
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = lastStart - d * DAY_MS;
    for (const topic of topics) {
      for (let first = 0; first < perDay; first += fileEvents) {
        const events: LoggedEvent[] = [];
        for (let i = first; i < Math.min(perDay, first + fileEvents); i++) {
          const at = dayStart + Math.floor(((i + next()) * DAY_MS) / perDay);
          const signedIn = next() < 0.4;
          const user = Math.floor(next() * users);
          const common = {
            event_id: uuid(),
            timestamp: kstTimestamp(new Date(at)),
            topic,
            user_id: signedIn ? `user${user}` : 'anonymous',
            device: DEVICES[user % DEVICES.length]!,
            ...(signedIn ? { gender: user % 2 === 0 ? 'F' : 'M', birth_year: 1960 + (user % 45) } : {}),
          };
          if (topic === 'View_detail_log') {
            const k = run();
            events.push({
              ...common,
              action: 'view_detail',
              ticket_id: ticketId(k),
              title: `공연 ${k}`,
              category: CATEGORIES[k % CATEGORIES.length]!,
            });
          } else if (topic === 'Search_log') {
            const keyword = KEYWORDS[Math.floor(next() * KEYWORDS.length)]!;
            events.push({
              ...common,
              action: 'search',
              keyword,
              category: next() < 0.3 ? CATEGORIES[user % CATEGORIES.length]! : '',
              region: '',
              start_date: '',
              end_date: '',
              result_count: keyword === '없는공연' ? 0 : 1 + (user % 40),
            });
          } else {
            events.push({ ...common, action: 'login', status: next() < 0.9 ? 'success' : 'fail' });
          }
        }
        const key = eventFileKey({ topic, partition: 0, firstOffset: offset, firstTimestamp: events[0]!.timestamp, source: 'benchmonth0' });
        offset += events.length;
        const body = writeEventsParquet(topic, events);
        await lake.put(key, body);
        out.files += 1;
        out.bytes += body.byteLength;
        out.events += events.length;
        options.onFile?.(key, out.files);
      }
    }
  }
  return out;
}
