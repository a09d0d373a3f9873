/**
 * Encodes text into CP949 (the legacy Korean encoding, WHATWG `euc-kr`) for tests. TextEncoder
 * only writes UTF-8, so the table is built by decoding every two-byte code once.
 */
let table: Map<string, [number, number]> | undefined;

function cp949Table(): Map<string, [number, number]> {
  if (table) return table;
  const decoder = new TextDecoder('euc-kr');
  const out = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x41; trail <= 0xfe; trail += 1) {
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !out.has(ch)) out.set(ch, [lead, trail]);
    }
  }
  table = out;
  return out;
}

export function encodeCp949(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = cp949Table().get(ch);
    if (!pair) throw new Error(`${ch} has no CP949 code`);
    bytes.push(...pair);
  }
  return Buffer.from(bytes);
}
