import { describe, expect, it } from 'vitest';
import { billionLaughsDetail, detailXml, errorBody, oversizedEntityDetail } from '../../test-support/fake-kopis.js';
import { generatedKopisRuns } from '../../test-support/kopis-fixtures.js';
import { KopisApiError, KopisFormatError } from './kopis.client.js';
import { parseBoxofficeXml, parseDetailXml, parseListXml } from './kopis-xml.js';

const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

// Recorded shapes from docs/kopis-api.md §4 and §5.
const RECORDED_LIST = `${DECL}<dbs><db><mt20id>PF250776</mt20id><prfnm>베스트슬립 수면콘서트</prfnm>
<prfpdfrom>2024.10.24</prfpdfrom><prfpdto>2024.10.24</prfpdto><fcltynm>세빛섬</fcltynm>
<poster>http://www.kopis.or.kr/upload/pfmPoster/PF_PF250776_241008_125359.jpg</poster>
<area>서울특별시</area><genrenm>복합</genrenm><openrun>N</openrun><prfstate>공연예정</prfstate></db></dbs>`;

const RECORDED_DETAIL = `${DECL}
<dbs>
  <db>
    <mt20id>PF249920</mt20id>
    <mt13id>FC002042-01</mt13id>
    <prfnm>서울 뮤직 페스티벌 &amp; 캠프</prfnm>
    <prfpdfrom>2024.10.26</prfpdfrom>
    <prfpdto>2024.10.27</prfpdto>
    <fcltynm>서울숲 (야외무대)</fcltynm>
    <prfcast> </prfcast>
    <prfruntime>8시간</prfruntime>
    <prfage>전체 관람가</prfage>
    <entrpsnmP> </entrpsnmP>
    <entrpsnmH>(재)성동문화재단, (주)페이지터너</entrpsnmH>
    <pcseguidance>1일권 99,000원, 2일권 169,000원</pcseguidance>
    <poster>http://www.kopis.or.kr/upload/pfmPoster/PF_PF287093_260313_172418.gif </poster>
    <sty> </sty>
    <area>서울특별시</area><genrenm>대중음악</genrenm><openrun>N</openrun><visit>Y</visit><child>N</child>
    <daehakro>N</daehakro><festival>Y</festival><musicallicense>N</musicallicense><musicalcreate>N</musicalcreate>
    <updatedate>2024-09-26 15:00:00</updatedate><prfstate>공연예정</prfstate>
    <styurls><styurl>http://www.kopis.or.kr/upload/pfmIntroImage/PF_PF249920_240926_0159190.png</styurl></styurls>
    <mt10id>FC002042</mt10id><dtguidance>토요일 ~ 일요일(12:30)</dtguidance>
    <relates><relate><relatenm>예스24</relatenm><relateurl>http://ticket.yes24.com/Perf/50551</relateurl></relate></relates>
  </db>
</dbs>`;

describe('reading KOPIS XML', () => {
  it('when a recorded list answer is read, then its one item comes back as a list', () => {
    expect(parseListXml(RECORDED_LIST)).toEqual([
      {
        mt20id: 'PF250776',
        prfnm: '베스트슬립 수면콘서트',
        prfpdfrom: '2024.10.24',
        prfpdto: '2024.10.24',
        fcltynm: '세빛섬',
        poster: 'http://www.kopis.or.kr/upload/pfmPoster/PF_PF250776_241008_125359.jpg',
        area: '서울특별시',
        genrenm: '복합',
        openrun: 'N',
        prfstate: '공연예정',
      },
    ]);
  });

  it('when the list is empty, then no items come back', () => {
    expect(parseListXml(`${DECL}<dbs></dbs>`)).toEqual([]);
    expect(parseListXml(`${DECL}<dbs>\n  </dbs>`)).toEqual([]);
  });

  it('when a recorded detail is read, then values are trimmed, blanks are absent, entities decoded and single styurl/relate are lists', () => {
    const d = parseDetailXml(RECORDED_DETAIL)!;
    expect(d.mt20id).toBe('PF249920');
    expect(d.prfnm).toBe('서울 뮤직 페스티벌 & 캠프');
    expect(d.mt10id).toBe('FC002042');
    expect(d.mt13id).toBe('FC002042-01');
    expect(d.poster).toBe('http://www.kopis.or.kr/upload/pfmPoster/PF_PF287093_260313_172418.gif');
    expect(d.prfcast).toBeUndefined();
    expect(d.sty).toBeUndefined();
    expect(d.prfcrew).toBeUndefined();
    expect(d.styurls).toEqual(['http://www.kopis.or.kr/upload/pfmIntroImage/PF_PF249920_240926_0159190.png']);
    expect(d.relates).toEqual([{ name: '예스24', url: 'http://ticket.yes24.com/Perf/50551' }]);
    expect(d.dtguidance).toBe('토요일 ~ 일요일(12:30)');
    expect(d.updatedate).toBe('2024-09-26 15:00:00');
  });

  it('when element order varies, fields are missing or a relate has no name, then every detail still reads the same fields', () => {
    const runs = generatedKopisRuns(28);
    for (const run of runs) {
      const d = parseDetailXml(detailXml(run))!;
      expect(d.mt20id).toBe(run.mt20id);
      expect(d.mt10id).toBe(run.mt10id);
      expect(d.prfnm).toBe(run.prfnm);
      expect(d.relates.map((r) => r.url)).toEqual(run.relates.map((r) => r.url.trim()));
      expect(d.relates.map((r) => r.name)).toEqual(run.relates.map((r) => r.name));
      expect(d.styurls).toEqual(run.quirks.omit.includes('styurls') ? [] : run.styurls);
      expect(d.updatedate).toBe(run.quirks.omit.includes('updatedate') ? undefined : run.updatedate);
    }
    expect(new Set(runs.map((r) => r.quirks.order)).size).toBe(4);
    expect(runs.some((r) => r.relates.some((x) => x.name === undefined))).toBe(true);
    expect(runs.some((r) => r.styurls.length > 1) && runs.some((r) => r.styurls.length === 1)).toBe(true);
  });

  it('when the detail is empty, then there is no detail', () => {
    expect(parseDetailXml(`${DECL}<dbs> </dbs>`)).toBeUndefined();
  });

  it.each(['01', '02', '05', '06'])('when KOPIS answers result code %s, then it is an error naming the code', (code) => {
    expect(() => parseListXml(errorBody(code, 'ERROR'))).toThrow(KopisApiError);
    expect(() => parseListXml(errorBody(code, 'ERROR'))).toThrow(new RegExp(`result code ${code}`));
  });

  it('when the code is 03, then the error is worth retrying; 02 is not', () => {
    const err = (code: string) => {
      try {
        parseListXml(errorBody(code, 'x'));
      } catch (e) {
        return e as KopisApiError;
      }
      throw new Error('no error');
    };
    expect(err('03').retryable).toBe(true);
    expect(err('02').retryable).toBe(false);
  });

  it('when the code is 04 (no data) or the code sits in another envelope, then it is read all the same', () => {
    expect(parseListXml(errorBody('04', 'NODATA'))).toEqual([]);
    expect(() => parseListXml(`${DECL}<response><header><resultCode>05</resultCode><resultMsg>LIMIT</resultMsg></header></response>`)).toThrow(
      /code 05/,
    );
  });

  it('when the answer is not XML (a block page), then it is a format error', () => {
    expect(() => parseListXml('<html><body>차단')).toThrow(KopisFormatError);
    expect(() => parseListXml('Service Unavailable')).toThrow(KopisFormatError);
    expect(() => parseListXml('<html><body>점검 중입니다</body></html>')).toThrow(/<html> instead of <dbs>/);
  });

  it('when values carry the five XML entities and numeric references, then exactly those are decoded, once', () => {
    const d = parseDetailXml(
      `${DECL}<dbs><db><mt20id>PF1</mt20id><prfnm>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos; &#54620;&#xAD6D; &amp;lt; &copy; &#0; &#xD800;</prfnm></db></dbs>`,
    )!;
    expect(d.prfnm).toBe(`A & B <C> "D" 'E' 한국 &lt; &copy; \uFFFD \uFFFD`);
  });

  const failureOf = (xml: string) => {
    try {
      parseDetailXml(xml);
    } catch (e) {
      return e as KopisFormatError;
    }
    throw new Error('no error');
  };

  it.each([
    ['an XML bomb (billion laughs)', billionLaughsDetail('PF1')],
    ['an entity past the parser size limit', oversizedEntityDetail('PF1')],
    ['one harmless-looking entity', `${DECL}<!DOCTYPE dbs [<!ENTITY who "EVIL">]><dbs><db><mt20id>PF1</mt20id><prfnm>&who;</prfnm></db></dbs>`],
  ])('when a detail declares entities in its DOCTYPE (%s), then it is a format error not worth retrying and nothing is expanded', (_what, xml) => {
    const started = performance.now();
    const err = failureOf(xml);
    expect(err).toBeInstanceOf(KopisFormatError);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/DOCTYPE/);
    expect(err.message).not.toMatch(/EVIL|lollol|xxxx/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('when a DOCTYPE only names an external DTD, then nothing is fetched or expanded: an undeclared reference stays as written', () => {
    const d = parseDetailXml(
      `${DECL}<!DOCTYPE dbs SYSTEM "http://127.0.0.1:9/evil.dtd"><dbs><db><mt20id>PF1</mt20id><prfnm>&ext; &#65;</prfnm></db></dbs>`,
    )!;
    expect(d.prfnm).toBe('&ext; A');
  });

  it('when a well-formed answer cannot be read by the parser, then it is a format error not worth retrying', () => {
    const deep = `${DECL}<dbs><db><mt20id>PF1</mt20id>${'<a>'.repeat(150)}x${'</a>'.repeat(150)}</db></dbs>`;
    const err = failureOf(deep);
    expect(err).toBeInstanceOf(KopisFormatError);
    expect(err.retryable).toBe(false);
  });

  it('when the answer is truncated or a block page, then the format error is worth retrying', () => {
    expect(failureOf(`${DECL}<dbs><db><mt20id>PF1</mt20id><prf`).retryable).toBe(true);
    expect(failureOf('<html><body>점검 중입니다</body></html>').retryable).toBe(true);
  });

  it('when a box office answer is read, then ranks come in order and a relative poster is kept as given', () => {
    const xml = `${DECL}<boxofs><basedate>2026-11-18~2026-11-24</basedate>
      <boxof><rnum>2</rnum><mt20id>PF2</mt20id><prfnm>둘</prfnm><poster>http://www.kopis.or.kr/upload/b.gif</poster></boxof>
      <boxof><prfplcnm>홀</prfplcnm><rnum>1</rnum><mt20id>PF1</mt20id><prfnm>하나</prfnm><poster>/upload/pfmPoster/PF_PF227565_a.gif</poster><cate>뮤지컬</cate></boxof>
    </boxofs>`;
    const items = parseBoxofficeXml(xml);
    expect(items.map((i) => [i.rank, i.mt20id])).toEqual([
      [1, 'PF1'],
      [2, 'PF2'],
    ]);
    expect(items[0]!.poster).toBe('/upload/pfmPoster/PF_PF227565_a.gif');
    expect(parseBoxofficeXml(`${DECL}<boxofs><boxof><rnum>1</rnum><mt20id>PF9</mt20id></boxof></boxofs>`)).toHaveLength(1);
  });
});
