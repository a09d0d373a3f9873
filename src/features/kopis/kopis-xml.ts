import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser';
import { KopisApiError, KopisFormatError, type KopisBoxofficeItem, type KopisDetail, type KopisListItem, type KopisRelate } from './kopis.client.js';

/**
 * KOPIS answers XML whose shape varies (docs: docs/kopis-api.md §5, §8): element order is
 * not fixed, any field may be missing, "empty" is often a single space, URLs carry trailing
 * spaces, and repeated elements (`db`, `styurl`, `relate`, `boxof`) come once or many times.
 * Everything is read as text, trimmed, with whitespace-only values treated as absent.
 *
 * Entities: only XML's five (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`) and numeric character
 * references are decoded. Entities a DOCTYPE declares are never expanded (an answer carrying
 * such declarations is refused before parsing), so an XML bomb costs one refused record.
 */

const REPEATED = new Set(['dbs.db', 'boxofs.boxof', 'dbs.db.styurls.styurl', 'dbs.db.relates.relate', 'dbs.db.mt13s.mt13']);

const BUILT_IN: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;

/** XML 1.0 `Char`: a reference to anything else (NUL, a lone surrogate, past U+10FFFF) reads as U+FFFD. */
const isXmlChar = (cp: number) =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

/** One pass: `&amp;lt;` is `&lt;`, not `<`; any other `&name;` stays as written. */
export function decodeXmlReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(REFERENCE, (_whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return BUILT_IN[name]!;
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return isXmlChar(cp) ? String.fromCodePoint(cp) : '\uFFFD';
  });
}

/** fast-xml-parser's entity hook: DOCTYPE entities handed to it are dropped, never expanded. */
const builtInEntitiesOnly: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: decodeXmlReferences,
};

const parser = new XMLParser({
  ignoreAttributes: true,
  // codes such as "02" and ids must stay text
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  entityDecoder: builtInEntitiesOnly,
  jPath: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

/** A DOCTYPE with an internal subset (`<!DOCTYPE x [ … ]>`): where entities are declared. KOPIS sends none. */
const INTERNAL_SUBSET = /<!DOCTYPE[^>[]*\[/;

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A trimmed text value; undefined for missing, whitespace-only or structured values. */
export function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

const RESULT_CODE = ['returncode', 'resultCode', 'resultcode', 'returnCode', 'errcode'];
const RESULT_MESSAGE = ['errmsg', 'resultMsg', 'resultmsg', 'returnmsg', 'returnMsg'];

/** The first result code anywhere in the document: its element is undocumented, so several names are read. */
function resultOf(node: unknown, depth = 0): { code: string; message: string | undefined } | undefined {
  if (depth > 4) return undefined;
  if (Array.isArray(node)) {
    for (const n of node) {
      const r = resultOf(n, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  if (!isNode(node)) return undefined;
  for (const k of RESULT_CODE) {
    const code = text(node[k]);
    if (code !== undefined) return { code, message: RESULT_MESSAGE.map((m) => text(node[m])).find((m) => m !== undefined) };
  }
  for (const v of Object.values(node)) {
    const r = resultOf(v, depth + 1);
    if (r) return r;
  }
  return undefined;
}

/**
 * Parses a KOPIS body: throws `KopisFormatError` for something that is not XML (an HTML block
 * page, say) and `KopisApiError` for a result code other than `00`; `04` (NODATA) is an empty
 * answer, not an error.
 */
function parseBody(xml: string, root: 'dbs' | 'boxofs'): { doc: Node; noData: boolean } {
  const body = xml.replace(/^\uFEFF/, '').trim();
  // before anything reads the document: no DTD is looked at, let alone expanded
  if (INTERNAL_SUBSET.test(body)) {
    throw new KopisFormatError(
      'KOPIS answered a document with a DOCTYPE that declares entities or markup (refused: KOPIS answers carry none)',
      false,
    );
  }
  if (!body.startsWith('<') || XMLValidator.validate(body) !== true) {
    throw new KopisFormatError(`KOPIS answered something that is not XML: ${JSON.stringify(body.slice(0, 120))}`);
  }
  let doc: unknown;
  try {
    doc = parser.parse(body) as unknown;
  } catch (err) {
    // deterministic for this body: asking again would bring the same answer
    throw new KopisFormatError(`KOPIS answered XML that could not be read: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300), false);
  }
  if (!isNode(doc)) throw new KopisFormatError('KOPIS answered an empty document');
  const result = resultOf(doc);
  if (result && result.code !== '00') {
    if (result.code === '04') return { doc, noData: true };
    throw new KopisApiError(result.code, result.message);
  }
  // A well-formed page of something else (a maintenance or block page in XHTML) is no answer.
  if (!(root in doc)) throw new KopisFormatError(`KOPIS answered <${Object.keys(doc).find((k) => k !== '?xml') ?? '?'}> instead of <${root}>`);
  return { doc, noData: false };
}

/** The `db` records of `<dbs>`; `<dbs></dbs>` (or `<dbs> </dbs>`) is none. */
function records(doc: Node, root: string, item: string): Node[] {
  const container = doc[root];
  if (!isNode(container)) return [];
  const list = container[item];
  return Array.isArray(list) ? list.filter(isNode).filter((n) => !RESULT_CODE.some((k) => k in n)) : [];
}

const LIST_FIELDS = ['prfnm', 'prfpdfrom', 'prfpdto', 'fcltynm', 'poster', 'area', 'genrenm', 'openrun', 'prfstate'] as const;

function listItemOf(db: Node): KopisListItem | undefined {
  const mt20id = text(db.mt20id);
  if (mt20id === undefined) return undefined;
  const item: KopisListItem = { mt20id };
  for (const f of LIST_FIELDS) item[f] = text(db[f]);
  return item;
}

export function parseListXml(xml: string): KopisListItem[] {
  const { doc, noData } = parseBody(xml, 'dbs');
  if (noData) return [];
  return records(doc, 'dbs', 'db')
    .map(listItemOf)
    .filter((i): i is KopisListItem => i !== undefined);
}

const DETAIL_FIELDS = [
  'mt10id',
  'mt13id',
  'prfcast',
  'prfcrew',
  'prfruntime',
  'prfage',
  'entrpsnm',
  'pcseguidance',
  'sty',
  'dtguidance',
  'updatedate',
  'child',
  'visit',
  'festival',
  'frstregdt',
] as const;

function relatesOf(db: Node): KopisRelate[] {
  const holder = db.relates;
  if (!isNode(holder) || !Array.isArray(holder.relate)) return [];
  const out: KopisRelate[] = [];
  for (const r of holder.relate) {
    if (!isNode(r)) continue;
    const url = text(r.relateurl);
    if (url !== undefined) out.push({ name: text(r.relatenm), url });
  }
  return out;
}

function styurlsOf(db: Node): string[] {
  const holder = db.styurls;
  if (!isNode(holder) || !Array.isArray(holder.styurl)) return [];
  return holder.styurl.map(text).filter((u): u is string => u !== undefined);
}

/** The one `db` of a detail answer, or undefined when there is none. */
export function parseDetailXml(xml: string): KopisDetail | undefined {
  const { doc, noData } = parseBody(xml, 'dbs');
  if (noData) return undefined;
  const db = records(doc, 'dbs', 'db')[0];
  const item = db && listItemOf(db);
  if (!db || !item) return undefined;
  const detail: KopisDetail = { ...item, styurls: styurlsOf(db), relates: relatesOf(db) };
  for (const f of DETAIL_FIELDS) detail[f] = text(db[f]);
  return detail;
}

export function parseBoxofficeXml(xml: string): KopisBoxofficeItem[] {
  const { doc, noData } = parseBody(xml, 'boxofs');
  if (noData) return [];
  const out: KopisBoxofficeItem[] = [];
  for (const b of records(doc, 'boxofs', 'boxof')) {
    const mt20id = text(b.mt20id);
    const rank = Number(text(b.rnum));
    if (mt20id === undefined || !Number.isInteger(rank)) continue;
    out.push({
      rank,
      mt20id,
      prfnm: text(b.prfnm),
      cate: text(b.cate),
      area: text(b.area),
      prfpd: text(b.prfpd),
      prfplcnm: text(b.prfplcnm),
      seatcnt: text(b.seatcnt),
      prfdtcnt: text(b.prfdtcnt),
      poster: text(b.poster),
    });
  }
  return out.sort((a, b) => a.rank - b.rank);
}
