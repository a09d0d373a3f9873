import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { KopisApiError, KopisFormatError, type KopisBoxofficeItem, type KopisDetail, type KopisListItem, type KopisRelate } from './kopis.client.js';

/**
 * KOPIS answers XML whose shape varies (docs: ../shared/docs/kopis.md §5, §8): element order is
 * not fixed, any field may be missing, "empty" is often a single space, URLs carry trailing
 * spaces, and repeated elements (`db`, `styurl`, `relate`, `boxof`) come once or many times.
 * Everything is read as text, trimmed, with whitespace-only values treated as absent.
 */

const REPEATED = new Set(['dbs.db', 'boxofs.boxof', 'dbs.db.styurls.styurl', 'dbs.db.relates.relate', 'dbs.db.mt13s.mt13']);

const parser = new XMLParser({
  ignoreAttributes: true,
  // codes such as "02" and ids must stay text
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  jPath: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

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
  if (!body.startsWith('<') || XMLValidator.validate(body) !== true) {
    throw new KopisFormatError(`KOPIS answered something that is not XML: ${JSON.stringify(body.slice(0, 120))}`);
  }
  const doc = parser.parse(body) as unknown;
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
