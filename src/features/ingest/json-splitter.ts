/**
 * Splits a streamed JSON text into its top-level records without parsing them, remembering
 * the line each record starts on. Only one record's text is held at a time, so a file of any
 * size streams through in constant memory (plus the record being read).
 *
 * Only brackets, quotes and escapes are tracked: a record that is not valid JSON is still cut
 * out whole (its parse fails later, with its line) and the records after it are read. This is
 * why no streaming JSON parser is used here: those stop at the first error and are 2-5x slower
 * (docs/adr/0003-import-json-splitter.md).
 */
export type SplitItem = { kind: 'record'; line: number; text: string } | { kind: 'problem'; line: number; reason: string };

/** A record larger than this is almost surely an unbalanced bracket swallowing the file. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

const NL = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** `array`: the records are the elements of one `[...]`. `sequence`: records follow each other. */
export type SplitMode = 'array' | 'sequence';

export class JsonSplitter {
  private line = 1;
  private phase: 'before' | 'open' | 'closed' | 'stopped';
  private expectSeparator = false;
  private sawComma = false;
  // The record being read.
  private current: { line: number; parts: string[]; size: number } | undefined;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private topLevelString = false;
  private primitive = false;

  constructor(private readonly mode: SplitMode) {
    this.phase = mode === 'array' ? 'before' : 'open';
  }

  push(chunk: string, out: SplitItem[]): void {
    const n = chunk.length;
    let i = 0;
    let start = 0;
    while (i < n && this.phase !== 'stopped') {
      const c = chunk.charCodeAt(i);
      if (this.current) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) {
            this.inString = false;
            if (this.topLevelString) {
              this.finish(chunk, start, i + 1, out);
            }
          } else if (c === NL) this.line += 1;
          i += 1;
          continue;
        }
        if (this.primitive) {
          if (isSpace(c) || c === COMMA || c === CLOSE_BRACKET || c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.finish(chunk, start, i, out);
            continue; // the delimiter is read as structure
          }
          i += 1;
          continue;
        }
        if (c === QUOTE) this.inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth += 1;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          this.depth -= 1;
          if (this.depth === 0) {
            this.finish(chunk, start, i + 1, out);
          }
        } else if (c === NL) this.line += 1;
        i += 1;
        continue;
      }
      if (isSpace(c)) {
        if (c === NL) this.line += 1;
        i += 1;
        continue;
      }
      if (this.phase === 'before') {
        if (c !== OPEN_BRACKET) {
          out.push({ kind: 'problem', line: this.line, reason: 'expected "[" to open the array' });
          this.phase = 'stopped';
          break;
        }
        this.phase = 'open';
        i += 1;
        continue;
      }
      if (this.phase === 'closed') {
        out.push({ kind: 'problem', line: this.line, reason: 'unexpected content after the closing "]"' });
        this.phase = 'stopped';
        break;
      }
      if (c === COMMA) {
        if (this.mode === 'array' && this.expectSeparator) {
          this.expectSeparator = false;
          this.sawComma = true;
        } else {
          out.push({ kind: 'problem', line: this.line, reason: 'unexpected ","' });
        }
        i += 1;
        continue;
      }
      if (c === CLOSE_BRACKET && this.mode === 'array') {
        if (this.sawComma && !this.expectSeparator) {
          out.push({ kind: 'problem', line: this.line, reason: 'trailing "," before "]"' });
        }
        this.phase = 'closed';
        i += 1;
        continue;
      }
      if (this.mode === 'array' && this.expectSeparator) {
        out.push({ kind: 'problem', line: this.line, reason: 'missing "," before this record' });
      }
      this.current = { line: this.line, parts: [], size: 0 };
      start = i;
      this.depth = 0;
      this.topLevelString = c === QUOTE;
      this.inString = c === QUOTE;
      this.escaped = false;
      this.primitive = c !== QUOTE && c !== OPEN_BRACE && c !== OPEN_BRACKET;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth = 1;
      i += 1;
    }
    if (this.current && this.phase !== 'stopped') {
      const piece = chunk.slice(start);
      this.current.parts.push(piece);
      this.current.size += piece.length;
      if (this.current.size > MAX_RECORD_CHARS) {
        out.push({
          kind: 'problem',
          line: this.current.line,
          reason: `record is longer than ${MAX_RECORD_CHARS} characters (an unclosed bracket or quote?)`,
        });
        this.current = undefined;
        this.phase = 'stopped';
      }
    }
  }

  end(out: SplitItem[]): void {
    if (this.phase === 'stopped') return;
    if (this.current) {
      if (this.primitive) {
        this.finish('', 0, 0, out);
      } else {
        out.push({ kind: 'problem', line: this.current.line, reason: 'the input ends inside this record' });
        this.current = undefined;
        return;
      }
    }
    if (this.mode === 'array' && this.phase === 'open') {
      out.push({ kind: 'problem', line: this.line, reason: 'the input ends before the closing "]"' });
    }
  }

  private finish(chunk: string, start: number, end: number, out: SplitItem[]): void {
    const cur = this.current!;
    const tail = chunk.slice(start, end);
    const text = cur.parts.length === 0 ? tail : cur.parts.join('') + tail;
    out.push({ kind: 'record', line: cur.line, text });
    this.current = undefined;
    this.primitive = false;
    this.topLevelString = false;
    this.expectSeparator = true;
    this.sawComma = false;
  }
}
