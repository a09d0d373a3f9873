import { StrictUtf8Decoder } from '../../platform/utf8.js';
import { JsonSplitter, MAX_RECORD_CHARS, type SplitItem } from './json-splitter.js';

/**
 * `json-array`: one `[...]` (also `mongoexport --jsonArray`).
 * `ndjson`: one record per line (also plain `mongoexport` output).
 * `json-sequence`: records one after another over several lines (`mongoexport --pretty`).
 */
export type InputFormat = 'json-array' | 'ndjson' | 'json-sequence';

export type InputChunks = AsyncIterable<Uint8Array | string>;

/** Reads the first line (or up to the first non-blank character for an array) to pick the format. */
function detect(head: string, ended: boolean): InputFormat | 'wait' | 'empty' | { bad: string } {
  const first = head.search(/\S/);
  if (first < 0) return ended ? 'empty' : 'wait';
  const c = head[first];
  if (c === '[') return 'json-array';
  if (c !== '{') return { bad: `expected a JSON array, NDJSON or mongoexport output, but the input starts with "${c}"` };
  const nl = head.indexOf('\n', first);
  if (nl < 0 && !ended) return 'wait';
  const firstLine = head.slice(first, nl < 0 ? undefined : nl).trim();
  return firstLine.endsWith('}') ? 'ndjson' : 'json-sequence';
}

/** Splits NDJSON into lines; blank lines are skipped. */
class LineSplitter {
  private line = 0;
  private rest = '';

  push(chunk: string, out: SplitItem[]): void {
    let text = this.rest + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      this.emit(text.slice(from, nl), out);
      from = nl + 1;
    }
    text = text.slice(from);
    if (text.length > MAX_RECORD_CHARS) {
      out.push({ kind: 'problem', line: this.line + 1, reason: `line is longer than ${MAX_RECORD_CHARS} characters` });
      this.line += 1;
      text = '';
    }
    this.rest = text;
  }

  end(out: SplitItem[]): void {
    if (this.rest.length > 0) this.emit(this.rest, out);
    this.rest = '';
  }

  private emit(raw: string, out: SplitItem[]): void {
    this.line += 1;
    const text = raw.trim();
    if (text.length > 0) out.push({ kind: 'record', line: this.line, text });
  }
}

export interface ReadHandlers {
  format?(format: InputFormat): void;
  /** Bytes or characters consumed so far (for progress reports). */
  consumed?(units: number): void;
}

/**
 * Streams the records of a catalogue file: each record's raw JSON text and starting line,
 * or a problem with its line. The format is detected from the content.
 * Bytes are decoded strictly as UTF-8 (a BOM is dropped): at the first invalid byte the reading
 * stops with a problem naming its offset (and CP949/EUC-KR when the file looks like it), so a
 * legacy-encoded file is refused rather than read as U+FFFD. String chunks are taken as decoded.
 */
export async function* readRecordTexts(input: InputChunks, handlers: ReadHandlers = {}): AsyncGenerator<SplitItem> {
  const decoder = new StrictUtf8Decoder();
  const decodingProblem = (): SplitItem => {
    const err = decoder.error()!;
    return { kind: 'problem', line: err.line ?? 1, reason: `the file is ${err.message}` };
  };
  let splitter: JsonSplitter | LineSplitter | undefined;
  let head = '';
  let consumed = 0;
  const out: SplitItem[] = [];

  const feed = (text: string, ended: boolean): boolean => {
    if (!splitter) {
      head += text;
      if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
      const format = detect(head, ended);
      if (format === 'wait' || format === 'empty') return true;
      if (typeof format === 'object') {
        const line = head.slice(0, head.search(/\S/)).split('\n').length;
        out.push({ kind: 'problem', line, reason: format.bad });
        return false;
      }
      handlers.format?.(format);
      splitter = format === 'ndjson' ? new LineSplitter() : new JsonSplitter(format === 'json-array' ? 'array' : 'sequence');
      text = head;
      head = '';
    }
    splitter.push(text, out);
    if (ended) splitter.end(out);
    return true;
  };

  for await (const chunk of input) {
    if (decoder.failed) {
      // a little more of the file tells CP949 from other damage
      if (typeof chunk !== 'string') decoder.more(chunk);
      if (decoder.wantsMore) continue;
      break;
    }
    const text = typeof chunk === 'string' ? chunk : decoder.push(chunk);
    if (decoder.failed) continue;
    consumed += chunk.length;
    const goOn = feed(text, false);
    handlers.consumed?.(consumed);
    yield* out.splice(0);
    if (!goOn) return;
  }
  const last = decoder.end();
  if (decoder.failed) {
    yield decodingProblem();
    return;
  }
  feed(last, true);
  yield* out.splice(0);
}
