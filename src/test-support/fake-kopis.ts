/**
 * A local HTTP server that plays the KOPIS Open API (docs/kopis-api.md) from fixtures:
 * list, detail, facility, box office; result codes 01–06; `<dbs></dbs>` for nothing; gzip when
 * asked (box office refuses a request without Accept-Encoding, as KOPIS's firewall did); varying
 * element order, whitespace-only values, trailing spaces. It logs every request so tests count calls.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { daysBetween } from '../platform/kst.js';
import { AREAS, type FakeKopisRun } from './kopis-fixtures.js';

export const FAKE_KOPIS_KEY = 'fake-kopis-service-key-0123456789abcdef0123456789abcdef0123';

export interface FakeKopisRequest {
  path: string;
  params: Record<string, string>;
  acceptEncoding: string | undefined;
}

export type FakeFault = '500' | '503' | 'hang' | 'db-error' | 'html';

export interface FakeKopis {
  baseUrl: string;
  runs: FakeKopisRun[];
  requests: FakeKopisRequest[];
  /** The next `count` requests fail this way. */
  failNext(fault: FakeFault, count?: number): void;
  /** Milliseconds each answer waits (to catch a sync in the middle). */
  delayMs: number;
  /** Performances whose detail comes back empty (`<dbs> </dbs>`). */
  emptyDetails: Set<string>;
  /** Performances whose detail answer is this raw body instead (a malformed or hostile answer). */
  detailBodies: Map<string, string>;
  /** Box office ranking by mt20id, first = rank 1. */
  boxoffice: string[];
  calls(kind: 'list' | 'detail' | 'boxoffice' | 'all'): number;
  close(): Promise<void>;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, value: string) => `<${name}>${esc(value)}</${name}>`;
const dotted = (compact: string) => `${compact.slice(0, 4)}.${compact.slice(4, 6)}.${compact.slice(6, 8)}`;

export const errorBody = (code: string, message: string) =>
  `${DECLARATION}<dbs><db><returncode>${code}</returncode><errmsg>${esc(message)}</errmsg><responsetime>2026-11-25 10:00:00</responsetime></db></dbs>`;

function listXml(runs: FakeKopisRun[]): string {
  if (runs.length === 0) return `${DECLARATION}<dbs></dbs>`;
  const dbs = runs.map((r) =>
    [
      '<db>',
      el('mt20id', r.mt20id),
      el('prfnm', r.prfnm),
      el('prfpdfrom', r.prfpdfrom),
      el('prfpdto', r.prfpdto),
      el('fcltynm', r.fcltynm),
      el('poster', r.poster),
      el('area', r.area),
      el('genrenm', r.genrenm),
      el('openrun', r.openrun),
      el('prfstate', r.prfstate),
      '</db>',
    ].join('\n    '),
  );
  return `${DECLARATION}\n<dbs>\n  ${dbs.join('\n  ')}\n</dbs>`;
}

/** A detail whose DOCTYPE defines entities that expand to a billion `lol`s (an XML bomb). */
export function billionLaughsDetail(mt20id: string): string {
  const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('');
  return `<?xml version="1.0"?><!DOCTYPE dbs [<!ENTITY lol "lol">${levels}]><dbs><db><mt20id>${mt20id}</mt20id><prfnm>&lol9;</prfnm></db></dbs>`;
}

/** A detail whose DOCTYPE declares one entity past the parser's size limit, used many times. */
export function oversizedEntityDetail(mt20id: string): string {
  return `<?xml version="1.0"?><!DOCTYPE dbs [<!ENTITY big "${'x'.repeat(20_000)}">]><dbs><db><mt20id>${mt20id}</mt20id><prfnm>${'&big;'.repeat(50)}</prfnm></db></dbs>`;
}

export function detailXml(r: FakeKopisRun): string {
  const omit = new Set(r.quirks.omit);
  const optional = (name: string, value: string) => (omit.has(name) ? '' : el(name, value));
  const styurls = omit.has('styurls') ? '' : `<styurls>${r.styurls.map((u) => el('styurl', u)).join('\n')}</styurls>`;
  const relates = `<relates>${r.relates.map((x) => `<relate>${x.name === undefined ? '' : el('relatenm', x.name)}${el('relateurl', x.url)}</relate>`).join('\n')}</relates>`;
  const mt10 = el('mt10id', r.mt10id);
  const mt13 = el('mt13id', `${r.mt10id}-01`);
  const order = r.quirks.order;
  const parts = [
    el('mt20id', r.mt20id),
    order === 'mt13-first' ? mt13 : '',
    order === 'documented' ? mt10 + mt13 : order === 'mt13-first' ? mt10 : order === 'mt10-last' || order === 'mt10-after-styurls' ? mt13 : '',
    el('prfnm', r.prfnm),
    el('prfpdfrom', r.prfpdfrom),
    el('prfpdto', r.prfpdto),
    el('fcltynm', r.fcltynm),
    el('prfcast', r.prfcast),
    optional('prfcrew', r.prfcrew),
    el('prfruntime', r.prfruntime),
    el('prfage', r.prfage),
    optional('entrpsnm', r.entrpsnm),
    omit.has('entrpsnm') ? '' : '<entrpsnmP> </entrpsnmP><entrpsnmA> </entrpsnmA><entrpsnmH>(재)성동문화재단</entrpsnmH><entrpsnmS> </entrpsnmS>',
    el('pcseguidance', r.pcseguidance),
    el('poster', r.poster),
    el('sty', r.sty),
    el('area', r.area),
    el('genrenm', r.genrenm),
    optional('openrun', r.openrun),
    el('visit', 'N'),
    el('child', r.child),
    el('daehakro', 'N'),
    el('festival', 'N'),
    el('musicallicense', 'N'),
    el('musicalcreate', 'N'),
    optional('updatedate', r.updatedate),
    el('prfstate', r.prfstate),
    order === 'mt10-last' ? mt10 : '',
    styurls,
    order === 'mt10-after-styurls' ? mt10 : '',
    el('dtguidance', r.dtguidance),
    relates,
    el('frstregdt', r.frstregdt),
  ].filter((p) => p !== '');
  return `${DECLARATION}\n<dbs>\n  <db>\n    ${parts.join('\n    ')}\n  </db>\n</dbs>`;
}

function boxofficeXml(ranked: FakeKopisRun[], stdate: string, eddate: string): string {
  const items = ranked.map(
    (r, i) =>
      `<boxof>${el('prfplcnm', r.fcltynm)}${el('seatcnt', '1200')}${el('rnum', String(i + 1))}${el('poster', i === 0 ? r.poster.replace('http://www.kopis.or.kr', '') : r.poster)}` +
      `${el('prfpd', `${r.prfpdfrom}~${r.prfpdto}`)}${el('mt20id', r.mt20id)}${el('prfnm', r.prfnm)}${el('cate', r.genrenm)}${el('prfdtcnt', '12')}${el('area', r.area.slice(0, 2))}</boxof>`,
  );
  const basedate = `${dotted(stdate).replaceAll('.', '-')}~${dotted(eddate).replaceAll('.', '-')}`;
  return `${DECLARATION}<boxofs><basedate>${basedate}</basedate>${items.join('')}</boxofs>`;
}

function facilityXml(): string {
  return `${DECLARATION}<dbs><db><fcltynm>올림픽공원</fcltynm><mt10id>FC001431</mt10id><mt13cnt>9</mt13cnt><fcltychartr>기타(공공)</fcltychartr><opende>1986</opende><seatscale>18483</seatscale><telno>02-410-1114</telno><relateurl>http://www.olympicpark.co.kr/ </relateurl><adres>서울특별시 송파구 올림픽로 424</adres><la>37.52112</la><lo>127.12836360000006</lo><mt13s><mt13><prfplcnm>KSPO DOME</prfplcnm><mt13id>FC001431-01</mt13id><seatscale>14,483</seatscale></mt13></mt13s></db></dbs>`;
}

const changedOnOrAfter = (r: FakeKopisRun, afterdate: string) => {
  const day = (s: string) => s.slice(0, 10).replaceAll('-', '');
  return day(r.updatedate) >= afterdate || day(r.frstregdt) >= afterdate;
};

export async function startFakeKopis(runs: FakeKopisRun[]): Promise<FakeKopis> {
  const faults: FakeFault[] = [];
  const hanging = new Set<ServerResponse>();
  const fake = {
    runs,
    requests: [] as FakeKopisRequest[],
    delayMs: 0,
    boxoffice: [] as string[],
    emptyDetails: new Set<string>(),
    detailBodies: new Map<string, string>(),
    failNext(fault: FakeFault, count = 1) {
      for (let i = 0; i < count; i += 1) faults.push(fault);
    },
    calls(kind: 'list' | 'detail' | 'boxoffice' | 'all') {
      return fake.requests.filter((r) =>
        kind === 'all'
          ? true
          : kind === 'list'
            ? r.path === '/pblprfr'
            : kind === 'detail'
              ? r.path.startsWith('/pblprfr/')
              : r.path === '/boxoffice',
      ).length;
    },
  };

  const answer = (req: { headers: Record<string, string | string[] | undefined> }, res: ServerResponse, body: string, status = 200) => {
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const data = gzip ? gzipSync(Buffer.from(body)) : Buffer.from(body);
    res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    res.end(data);
  };

  const route = (path: string, q: Record<string, string>, req: { headers: Record<string, string | string[] | undefined> }, res: ServerResponse) => {
    if (q.service === undefined) return answer(req, res, errorBody('01', 'SERVICE KEY IS MISSING'));
    if (q.service !== FAKE_KOPIS_KEY) return answer(req, res, errorBody('02', 'SERVICE KEY IS NOT REGISTERED ERROR.'));
    const fault = faults.shift();
    if (fault === '500' || fault === '503') return res.writeHead(Number(fault)).end('Service Unavailable');
    if (fault === 'hang') return void hanging.add(res);
    if (fault === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>점검 중입니다</body></html>');
    if (fault === 'db-error') return answer(req, res, errorBody('03', 'DB_ERROR'));

    if (path === '/pblprfr') {
      const { stdate, eddate, cpage, rows } = q;
      if (![stdate, eddate, cpage, rows].every((v) => v !== undefined && /^\d+$/.test(v)))
        return answer(req, res, errorBody('01', 'PARAMETER ERROR'));
      if (Number(rows) > 100) return answer(req, res, errorBody('06', 'ROWS MORE THAN 100'));
      if (daysBetween(dotted(stdate!), dotted(eddate!)) > 31) return answer(req, res, errorBody('05', 'MORE THAN 31 DAYS'));
      const area = q.signgucode === undefined ? undefined : AREAS.find(([, code]) => code === q.signgucode)?.[0];
      const matching = fake.runs
        .filter((r) => r.prfpdfrom <= dotted(eddate!) && r.prfpdto >= dotted(stdate!))
        .filter((r) => area === undefined || r.area === area)
        .filter((r) => q.afterdate === undefined || changedOnOrAfter(r, q.afterdate))
        .sort((a, b) => (a.mt20id < b.mt20id ? -1 : 1));
      const page = matching.slice((Number(cpage) - 1) * Number(rows), Number(cpage) * Number(rows));
      return answer(req, res, listXml(page));
    }
    const detail = /^\/pblprfr\/([A-Za-z0-9]+)$/.exec(path);
    if (detail) {
      const raw = fake.detailBodies.get(detail[1]!);
      if (raw !== undefined) return answer(req, res, raw);
      const run = fake.emptyDetails.has(detail[1]!) ? undefined : fake.runs.find((r) => r.mt20id === detail[1]);
      return answer(req, res, run ? detailXml(run) : `${DECLARATION}<dbs> </dbs>`);
    }
    if (path === '/prfplc' || path.startsWith('/prfplc/')) return answer(req, res, facilityXml());
    if (path === '/boxoffice') {
      if (!req.headers['accept-encoding']) return res.writeHead(400, { 'content-type': 'text/html' }).end('<html>Request Rejected</html>');
      const ranked = fake.boxoffice.map((id) => fake.runs.find((r) => r.mt20id === id)).filter((r): r is FakeKopisRun => r !== undefined);
      return answer(req, res, boxofficeXml(ranked, q.stdate ?? '20261118', q.eddate ?? '20261124'));
    }
    res.writeHead(404).end('not found');
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/openApi\/restful/, '');
    const params = Object.fromEntries(url.searchParams);
    const { service: _key, ...logged } = params;
    fake.requests.push({ path, params: logged, acceptEncoding: req.headers['accept-encoding'] });
    const go = () => route(path, params, req, res);
    if (fake.delayMs > 0) setTimeout(go, fake.delayMs);
    else go();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}/openApi/restful`,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
