import { describe, expect, it } from 'vitest';
import { parseExtendedJson } from './extended-json.js';
import { readRecordTexts, type InputFormat } from './record-reader.js';
import type { SplitItem } from './json-splitter.js';
import { encodeCp949 } from '../../test-support/cp949.js';

/** Feeds the text in small pieces, so records and multi-byte characters straddle chunk borders. */
async function read(text: string | Uint8Array, pieceBytes = 7): Promise<{ format: InputFormat | undefined; items: SplitItem[] }> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += pieceBytes) yield bytes.subarray(i, i + pieceBytes);
  }
  let format: InputFormat | undefined;
  const items: SplitItem[] = [];
  for await (const item of readRecordTexts(chunks(), { format: (f) => (format = f) })) items.push(item);
  return { format, items };
}

const records = (items: SplitItem[]) => items.map((i) => (i.kind === 'record' ? { line: i.line, value: parseExtendedJson(i.text) } : i));

describe('reading catalogue files', () => {
  it('when a multi-byte character is split across chunks of any size, then it is read whole', async () => {
    const text = '{"title":"〈레미제라블〉 🎭"}\n{"title":"둘"}\n';
    for (const size of [1, 2, 3, 5]) {
      const { items } = await read(text, size);
      expect(records(items)).toEqual([
        { line: 1, value: { title: '〈레미제라블〉 🎭' } },
        { line: 2, value: { title: '둘' } },
      ]);
    }
  });

  it('when the file starts with a UTF-8 BOM, then it is read as if it had none', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('[{"title":"하나"}]')]);
    const { format, items } = await read(bytes, 2);
    expect(format).toBe('json-array');
    expect(records(items)).toEqual([{ line: 1, value: { title: '하나' } }]);
  });

  it('when the test helper writes CP949, then its bytes are what `iconv -f UTF-8 -t CP949` writes', () => {
    expect(encodeCp949('{"title":"뮤지컬 〈레미제라블〉"}\n').toString('hex')).toBe(
      '7b227469746c65223a22b9c2c1f6c4c320a1b4b7b9b9ccc1a6b6f3baeda1b5227d0a',
    );
  });

  it('when the file is CP949 (EUC-KR), then reading stops with a problem that names it, its line and byte offset', async () => {
    const bytes = encodeCp949('{"title":"레미제라블","start_date":"2026.12.05"}\n{"title":"레베카","start_date":"2026.12.05"}\n');
    const { items } = await read(bytes, 7);
    expect(items).toEqual([
      {
        kind: 'problem',
        line: 1,
        reason: expect.stringMatching(/^the file is not valid UTF-8: .* at byte offset 10; .*CP949\/EUC-KR.*iconv -f CP949 -t UTF-8/) as string,
      },
    ]);
  });

  it('when one byte deep in the file is invalid, then the records before it are read and the problem has its line', async () => {
    const head = new TextEncoder().encode('{"title":"하나"}\n{"title":"둘"}\n{"title":"');
    const bytes = new Uint8Array([...head, 0xc3, 0x28, ...new TextEncoder().encode('"}\n')]);
    const { items } = await read(bytes, 4);
    expect(items.map((i) => (i.kind === 'problem' ? { line: i.line, reason: i.reason } : i.line))).toEqual([
      1,
      2,
      {
        line: 3,
        reason: `the file is not valid UTF-8: byte 0xC3 followed by 0x28 is not a character at byte offset ${head.length}; save the file as UTF-8 (e.g. \`iconv -f <its encoding> -t UTF-8 in.json > out.json\`)`,
      },
    ]);
  });

  it('when the input is a pretty JSON array, then each record comes with the line it starts on', async () => {
    const text = '[\n  {\n    "title": "레베카"\n  },\n  {"title": "[괄호]와 \\"따옴표\\" }"},\n\n  {\n "title": "셋"}\n]\n';
    const { format, items } = await read(text);
    expect(format).toBe('json-array');
    expect(records(items)).toEqual([
      { line: 2, value: { title: '레베카' } },
      { line: 5, value: { title: '[괄호]와 "따옴표" }' } },
      { line: 7, value: { title: '셋' } },
    ]);
  });

  it('when the input is NDJSON, then every non-blank line is one record with its own line number', async () => {
    const { format, items } = await read('{"title":"하나"}\r\n\n{"title":"둘"}\n{"title": "셋"');
    expect(format).toBe('ndjson');
    expect(items.map((i) => i.line)).toEqual([1, 3, 4]);
    expect(items.every((i) => i.kind === 'record')).toBe(true);
  });

  it('when the input is pretty mongoexport output (objects over several lines), then records are split by structure', async () => {
    const { format, items } = await read('{\n  "_id": {"$oid": "5f1e3c2b9a8d7e6f5a4b3c2d"},\n  "title": "하나"\n}\n{\n  "title": "둘"\n}\n');
    expect(format).toBe('json-sequence');
    expect(records(items)).toEqual([
      { line: 1, value: { _id: '5f1e3c2b9a8d7e6f5a4b3c2d', title: '하나' } },
      { line: 5, value: { title: '둘' } },
    ]);
  });

  it('when the input arrives in chunks of any size, then the same records come out', async () => {
    const text = '[\n {"title": "역슬래시\\\\", "x": "\\"}]{["}, \n {"title": "한글 제목 ✓", "n": [1, {"a": []}]}\n]';
    const whole = records((await read(text, 1 << 20)).items);
    expect(whole).toHaveLength(2);
    for (const size of [1, 2, 3, 5, 11]) expect(records((await read(text, size)).items)).toEqual(whole);
  });

  it('when a one-line jsonArray export is read, then every record is on line 1', async () => {
    const { format, items } = await read('[{"title":"a"},{"title":"b"},7]');
    expect(format).toBe('json-array');
    expect(records(items)).toEqual([
      { line: 1, value: { title: 'a' } },
      { line: 1, value: { title: 'b' } },
      { line: 1, value: 7 },
    ]);
  });

  it('when an array lacks a comma, has a trailing comma or is not closed, then each is reported with its line', async () => {
    const { items } = await read('[\n{"title":"a"}\n{"title":"b"},\n]');
    expect(items.filter((i) => i.kind === 'problem')).toEqual([
      { kind: 'problem', line: 3, reason: 'missing "," before this record' },
      { kind: 'problem', line: 4, reason: 'trailing "," before "]"' },
    ]);
    const open = await read('[\n{"title":"a"},\n{"title":"b"');
    expect(open.items.at(-1)).toEqual({ kind: 'problem', line: 3, reason: 'the input ends inside this record' });
  });

  // The reason the splitter is hand-written (docs/adr/0003-import-json-splitter.md): a streaming
  // JSON parser stops at the first syntax or lexical error, so the records after it would be lost.
  it('when a record is not valid JSON inside, then it is still cut out whole with its line and the records after it are read', async () => {
    const text = '[\n{"title":"a"},\n{"x": tru, "y": "\\q"},\n{"title": "문법 오류", },\n{"title":"c"}\n]';
    const { items } = await read(text);
    expect(items).toEqual([
      { kind: 'record', line: 2, text: '{"title":"a"}' },
      { kind: 'record', line: 3, text: '{"x": tru, "y": "\\q"}' },
      { kind: 'record', line: 4, text: '{"title": "문법 오류", }' },
      { kind: 'record', line: 5, text: '{"title":"c"}' },
    ]);
    const pretty = await read('{\n  "x": 01\n}\n{\n  "title": "b"\n}\n');
    expect(pretty.format).toBe('json-sequence');
    expect(pretty.items).toEqual([
      { kind: 'record', line: 1, text: '{\n  "x": 01\n}' },
      { kind: 'record', line: 4, text: '{\n  "title": "b"\n}' },
    ]);
  });

  it('when the input is neither an array nor objects, then it is rejected at the first character', async () => {
    const { items } = await read('\n\nhello');
    expect(items).toEqual([{ kind: 'problem', line: 3, reason: expect.stringContaining('but the input starts with "h"') as string }]);
  });

  it('when the input is empty, then there are no records and no problems', async () => {
    expect((await read('  \n')).items).toEqual([]);
  });

  it('when a UTF-8 byte order mark leads the file, then it is ignored', async () => {
    const { format, items } = await read('\uFEFF{"title":"가"}\n');
    expect(format).toBe('ndjson');
    expect(items).toHaveLength(1);
  });
});

describe('Extended JSON', () => {
  it('when canonical wrappers are used, then they become plain values', () => {
    const value = parseExtendedJson(
      JSON.stringify({
        _id: { $oid: '5f1e3c2b9a8d7e6f5a4b3c2d' },
        hosts: [{ site_id: { $numberInt: '2' } }, { site_id: { $numberLong: '3' } }],
        price: [
          { seat: 'R석', price: { $numberDouble: '99000.0' } },
          { seat: 'S', price: { $numberDecimal: '1.10' } },
        ],
        start_date: { $date: { $numberLong: '1764514800000' } },
        open_date: { $date: { $numberLong: '1764514800000' } },
        big: { $numberLong: '9223372036854775807' },
      }),
    );
    expect(value).toEqual({
      _id: '5f1e3c2b9a8d7e6f5a4b3c2d',
      hosts: [{ site_id: 2 }, { site_id: 3 }],
      price: [
        { seat: 'R석', price: 99000 },
        { seat: 'S', price: '1.10' },
      ],
      start_date: '2025.12.01',
      open_date: '2025-12-01T00:00:00.000+09:00',
      big: '9223372036854775807',
    });
  });

  it('when relaxed wrappers are used, then dates become KST strings', () => {
    expect(parseExtendedJson('{"end_date": {"$date": "2025-12-31T15:30:00Z"}, "pre_open_date": {"$date": "2025-12-31T15:30:00Z"}}')).toEqual({
      end_date: '2026.01.01',
      pre_open_date: '2026-01-01T00:30:00.000+09:00',
    });
  });

  it('when an object merely has a $ key among others, then it is left alone', () => {
    expect(parseExtendedJson('{"x": {"$oid": "a", "b": 1}}')).toEqual({ x: { $oid: 'a', b: 1 } });
  });
});
