import type { Figures, Pending } from './api.js';
import { barChart, heatMap, lineChart } from './charts.js';
import { type Column, download, toCsv } from './csv.js';

const TOPIC_LABELS: Record<string, string> = {
  Search_log: '검색',
  View_detail_log: '상세 조회',
  Signup_log: '가입',
  Login_log: '로그인',
  Validate: '로그인 실패',
  Logout_log: '로그아웃',
  KakaoLogin_log: '카카오 로그인',
  KakaoLogout_log: '카카오 로그아웃',
  Like_log: '좋아요',
};
const DEVICE_LABELS = { mobile: '모바일', desktop: '데스크톱', other: '기타' } as const;

const num = (n: number) => n.toLocaleString('ko-KR');
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text; // never innerHTML: keywords and titles come from users
  return e;
}

interface Card<Row> {
  id: string;
  title: string;
  note?: string;
  chart?: (el: HTMLElement) => void;
  chartHeight?: number;
  /** Spans the whole width of the grid. */
  wide?: boolean;
  columns: Column<Row>[];
  rows: Row[];
  empty?: string;
}

function table<Row>(card: Card<Row>): HTMLElement {
  const wrap = el('div', { class: 'table-wrap' });
  const t = el('table', { 'data-table': card.id });
  const head = el('tr');
  const first = card.rows[0];
  for (const c of card.columns)
    head.append(el('th', first !== undefined && typeof c.value(first) === 'number' ? { scope: 'col', class: 'n' } : { scope: 'col' }, c.label));
  t.append(el('thead'), el('tbody'));
  t.tHead!.append(head);
  for (const row of card.rows) {
    const tr = el('tr');
    for (const c of card.columns) {
      const v = c.value(row);
      tr.append(el('td', typeof v === 'number' ? { class: 'n' } : {}, typeof v === 'number' ? num(v) : v));
    }
    t.tBodies[0]!.append(tr);
  }
  if (card.rows.length === 0) {
    const tr = el('tr');
    tr.append(el('td', { colspan: String(card.columns.length), class: 'empty' }, card.empty ?? '이 기간에는 없습니다'));
    t.tBodies[0]!.append(tr);
  }
  wrap.append(t);
  return wrap;
}

function section<Row>(card: Card<Row>, period: string): HTMLElement {
  const s = el('section', { class: card.wide ? 'card wide' : 'card', 'data-figure': card.id });
  const header = el('header');
  header.append(el('h2', {}, card.title));
  const csv = el('button', { type: 'button', class: 'csv', 'data-csv': card.id }, 'CSV');
  csv.title = 'CSV 내려받기';
  csv.addEventListener('click', () => download(`ticketmoa-${card.id}-${period}.csv`, toCsv(card.columns, card.rows)));
  header.append(csv);
  s.append(header);
  if (card.note) s.append(el('p', { class: 'note' }, card.note));
  if (card.chart) {
    const box = el('div', { class: 'chart', 'data-chart': card.id });
    if (card.chartHeight) box.style.height = `${card.chartHeight}px`;
    s.append(box);
  }
  s.append(table(card));
  return s;
}

function stat(label: string, value: string, id: string): HTMLElement {
  const d = el('div', { class: 'stat', 'data-stat': id });
  d.append(el('span', { class: 'label' }, label), el('strong', {}, value));
  return d;
}

/** Draws every figure into `board` (emptied first). */
export function renderFigures(board: HTMLElement, f: Figures): void {
  const { activity, searches, views, accounts, likes } = f;
  const days = activity.events_per_day.map((d) => d.day);
  const period = `${activity.from}_${activity.to}`;
  const total = (key: 'signups' | 'logins' | 'kakao_logins' | 'failed_logins') => accounts.per_day.reduce((s, d) => s + d[key], 0);
  board.replaceChildren();

  const stats = el('div', { class: 'stats' });
  stats.append(
    stat('전체 이벤트', num(activity.events_per_day.reduce((s, d) => s + d.total, 0)), 'events'),
    stat('검색', num(searches.searches), 'searches'),
    stat(
      '결과 없는 검색',
      `${num(searches.no_result_searches)} (${pct(searches.searches ? searches.no_result_searches / searches.searches : 0)})`,
      'no-result',
    ),
    stat('상세 조회', num(views.views), 'views'),
    stat('좋아요 (추가·취소)', `${num(likes.likes)} · ${num(likes.unlikes)}`, 'likes'),
    stat('가입', num(total('signups')), 'signups'),
    stat('로그인 (자체·카카오)', `${num(total('logins'))} · ${num(total('kakao_logins'))}`, 'logins'),
    stat('로그인 실패', num(total('failed_logins')), 'failed-logins'),
  );
  board.append(stats);

  const topics = Object.keys(TOPIC_LABELS);
  const draw = <Row>(card: Card<Row>) => {
    const s = section(card, period);
    board.append(s);
    const box = s.querySelector<HTMLElement>('[data-chart]');
    if (box && card.chart) card.chart(box);
  };

  draw({
    id: 'events-per-day',
    title: '일별 이벤트 (주제별)',
    wide: true,
    chart: (e) =>
      lineChart(
        e,
        days,
        topics.map((t) => ({ name: TOPIC_LABELS[t]!, values: activity.events_per_day.map((d) => d.topics[t] ?? 0) })),
      ),
    columns: [
      { label: '날짜', value: (r) => r.day },
      ...topics.map((t) => ({ label: TOPIC_LABELS[t]!, value: (r: (typeof activity.events_per_day)[number]) => r.topics[t] ?? 0 })),
      { label: '합계', value: (r) => r.total },
    ],
    rows: activity.events_per_day,
  });
  draw({
    id: 'active-users',
    title: '일별 활성 사용자',
    note: '로그인한 사용자 수 (익명 제외)',
    chart: (e) => lineChart(e, days, [{ name: '활성 사용자', values: activity.active_users.map((d) => d.users) }]),
    columns: [
      { label: '날짜', value: (r) => r.day },
      { label: '활성 사용자', value: (r) => r.users },
    ],
    rows: activity.active_users,
  });
  draw({
    id: 'accounts-per-day',
    title: '가입 · 로그인 (일별)',
    chart: (e) =>
      lineChart(e, days, [
        { name: '가입', values: accounts.per_day.map((d) => d.signups) },
        { name: '로그인', values: accounts.per_day.map((d) => d.logins) },
        { name: '카카오 로그인', values: accounts.per_day.map((d) => d.kakao_logins) },
        { name: '로그인 실패', values: accounts.per_day.map((d) => d.failed_logins) },
      ]),
    columns: [
      { label: '날짜', value: (r) => r.day },
      { label: '가입', value: (r) => r.signups },
      { label: '로그인', value: (r) => r.logins },
      { label: '카카오 로그인', value: (r) => r.kakao_logins },
      { label: '로그인 실패', value: (r) => r.failed_logins },
    ],
    rows: accounts.per_day,
  });
  const fn = accounts.funnel;
  draw({
    id: 'signup-funnel',
    title: '가입 → 첫 로그인',
    note: `기간 안에 가입한 계정 중 로그인한 비율 ${pct(fn.rate)}${fn.median_minutes_to_first_login === null ? '' : `, 첫 로그인까지 중앙값 ${fn.median_minutes_to_first_login}분`}`,
    chart: (e) => barChart(e, ['가입', '첫 로그인'], [fn.signups, fn.logged_in]),
    chartHeight: 120,
    columns: [
      { label: '단계', value: (r) => r.step },
      { label: '계정', value: (r) => r.count },
    ],
    rows: [
      { step: '가입', count: fn.signups },
      { step: '첫 로그인', count: fn.logged_in },
    ],
  });
  const keywordColumns: Column<{ keyword: string; searches: number }>[] = [
    { label: '검색어', value: (r) => r.keyword },
    { label: '검색 수', value: (r) => r.searches },
  ];
  draw({
    id: 'top-keywords',
    title: '인기 검색어',
    chart: (e) =>
      barChart(
        e,
        searches.top_keywords.map((k) => k.keyword),
        searches.top_keywords.map((k) => k.searches),
      ),
    chartHeight: Math.max(120, searches.top_keywords.length * 26 + 20),
    columns: keywordColumns,
    rows: searches.top_keywords,
  });
  draw({
    id: 'no-result-keywords',
    title: '결과 없는 검색어',
    note: '카탈로그에 없는 공연: 찾았지만 하나도 나오지 않은 검색어',
    chart: (e) =>
      barChart(
        e,
        searches.no_result_keywords.map((k) => k.keyword),
        searches.no_result_keywords.map((k) => k.searches),
      ),
    chartHeight: Math.max(120, searches.no_result_keywords.length * 26 + 20),
    columns: keywordColumns,
    rows: searches.no_result_keywords,
  });
  draw({
    id: 'top-runs',
    title: '많이 본 공연',
    columns: [
      { label: '공연', value: (r) => r.title },
      { label: '분류', value: (r) => r.category },
      { label: '조회수', value: (r) => r.views },
      { label: 'ID', value: (r) => r.ticket_id },
    ],
    rows: views.top_runs,
  });
  draw({
    id: 'likes-per-day',
    title: '일별 좋아요',
    note: '새로 누른 좋아요와 취소한 좋아요 (이미 누른 공연에 다시 누르거나, 누르지 않은 공연을 취소한 것은 세지 않습니다)',
    chart: (e) =>
      lineChart(e, days, [
        { name: '좋아요', values: likes.per_day.map((d) => d.likes) },
        { name: '좋아요 취소', values: likes.per_day.map((d) => d.unlikes) },
      ]),
    columns: [
      { label: '날짜', value: (r) => r.day },
      { label: '좋아요', value: (r) => r.likes },
      { label: '좋아요 취소', value: (r) => r.unlikes },
    ],
    rows: likes.per_day,
  });
  draw({
    id: 'liked-runs',
    title: '좋아요 많은 공연',
    note: '기간 안의 좋아요 − 좋아요 취소 (순 좋아요) 상위 10개',
    chart: (e) =>
      barChart(
        e,
        likes.top_runs.map((r) => r.title),
        likes.top_runs.map((r) => r.net_likes),
      ),
    chartHeight: Math.max(120, likes.top_runs.length * 26 + 20),
    columns: [
      { label: '공연', value: (r) => r.title },
      { label: '분류', value: (r) => r.category },
      { label: '순 좋아요', value: (r) => r.net_likes },
      { label: '좋아요', value: (r) => r.likes },
      { label: '취소', value: (r) => r.unlikes },
      { label: 'ID', value: (r) => r.ticket_id },
    ],
    rows: likes.top_runs,
  });
  draw({
    id: 'categories',
    title: '분류별 조회수',
    chart: (e) =>
      barChart(
        e,
        views.categories.map((c) => c.category || '(없음)'),
        views.categories.map((c) => c.views),
      ),
    chartHeight: Math.max(120, views.categories.length * 26 + 20),
    columns: [
      { label: '분류', value: (r) => r.category || '(없음)' },
      { label: '조회수', value: (r) => r.views },
    ],
    rows: views.categories,
  });
  draw({
    id: 'vendors',
    title: '판매처별 조회 비중',
    note: '판매처가 파는 공연의 조회수 ÷ 전체 조회수 (여러 곳에서 파는 공연은 각 판매처에 모두 셉니다)',
    chart: (e) =>
      barChart(
        e,
        views.vendors.map((v) => v.name),
        views.vendors.map((v) => v.share * 100),
        (v) => `${v.toFixed(1)}%`,
      ),
    chartHeight: Math.max(120, views.vendors.length * 30 + 20),
    columns: [
      { label: '판매처', value: (r) => r.name },
      { label: '조회수', value: (r) => r.views },
      { label: '비중', value: (r) => pct(r.share) },
    ],
    rows: views.vendors,
  });
  draw({
    id: 'devices',
    title: '기기',
    note: 'User-Agent 기준 이벤트 수',
    chart: (e) =>
      barChart(
        e,
        activity.devices.map((d) => DEVICE_LABELS[d.device]),
        activity.devices.map((d) => d.events),
      ),
    chartHeight: 130,
    columns: [
      { label: '기기', value: (r) => DEVICE_LABELS[r.device] },
      { label: '이벤트', value: (r) => r.events },
    ],
    rows: activity.devices,
  });
  const perHour = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    events: activity.hours.filter((h) => h.hour === hour).reduce((s, h) => s + h.events, 0),
  }));
  draw({
    id: 'hours',
    title: '시간대별 활동 (KST)',
    wide: true,
    chart: (e) => heatMap(e, days, activity.hours),
    chartHeight: Math.min(900, Math.max(220, days.length * 26 + 90)),
    columns: [
      { label: '시각', value: (r) => `${r.hour}시` },
      { label: '이벤트', value: (r) => r.events },
    ],
    rows: perHour,
  });
}

const seconds = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000).toLocaleString('ko-KR')}분` : `${Math.ceil(ms / 1000)}초`);
const clockTime = (iso: string) => new Date(iso).toLocaleTimeString('ko-KR', { hour12: false });
const topicList = (counts: [string, number][]) =>
  counts
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${TOPIC_LABELS[t] ?? t} ${num(n)}`)
    .join(' · ');

/**
 * Says what is not in the lake yet (so not in the figures above) and when the sink writes it.
 * `data-waiting`: events known to wait (outbox on the embedded bus), for tests and styling.
 */
export function renderPending(box: HTMLElement, p: Pending): void {
  box.replaceChildren();
  box.dataset.state = 'ready';
  box.dataset.waiting = String(p.outbox.events);
  box.append(el('h2', {}, '레이크에 아직 없는 이벤트'));
  const line = (text: string, attrs: Record<string, string> = {}) => box.append(el('p', attrs, text));
  const waiting = topicList(Object.entries(p.outbox.topics));
  if (p.bus === 'embedded') {
    if (p.outbox.events === 0) line('대기 중인 이벤트가 없습니다: 기록된 이벤트는 모두 위 집계에 들어 있습니다.', { 'data-line': 'outbox' });
    else line(`아직 집계에 없는 이벤트 ${num(p.outbox.events)}건이 대기열(아웃박스)에 있습니다: ${waiting}.`, { 'data-line': 'outbox' });
  } else {
    line(
      `Kafka로 아직 보내지 않은 이벤트 ${num(p.outbox.events)}건이 이 서버의 아웃박스에 있습니다${waiting ? `: ${waiting}` : ''}. ` +
        'Kafka와 싱크 버퍼에 있는 이벤트는 이 서버에서 보이지 않습니다.',
      { 'data-line': 'outbox' },
    );
  }
  const b = p.sink_buffers;
  if (!b) {
    line(
      '싱크는 다른 프로세스(ticketmoa sink)에서 실행되어 그 버퍼는 여기서 보이지 않습니다. 그 싱크는 토픽마다 LOG_FLUSH_MAX_EVENTS건(기본 1,000건)이 ' +
        '모이거나 가장 오래된 이벤트가 LOG_FLUSH_MAX_AGE_MS(기본 1시간)를 기다리면 파일로 씁니다.',
      { 'data-line': 'sink' },
    );
    return;
  }
  const rule = `토픽마다 ${num(b.max_events)}건이 모이거나 가장 오래된 이벤트가 ${seconds(b.max_age_ms)} 기다리면 파일로 씁니다`;
  if (b.events === 0 || b.next_write_at === null) {
    line(`이 서버의 싱크 버퍼는 비어 있습니다. 싱크는 ${rule}.`, { 'data-line': 'sink' });
    return;
  }
  line(
    `이 서버의 싱크 버퍼에 ${num(b.events)}건 (${topicList(b.topics.map((t) => [t.topic, t.events]))}): ` +
      `다음 기록은 ${clockTime(b.next_write_at)} (약 ${seconds(b.next_write_in_ms ?? 0)} 후). 싱크는 ${rule}.`,
    { 'data-line': 'sink' },
  );
}

/** Says whether the demo's synthetic views are counted, when the range holds any. */
export function renderSyntheticNote(note: HTMLElement, f: Figures): void {
  const s = f.views.synthetic_views;
  note.hidden = s.events === 0;
  note.textContent =
    s.events === 0
      ? ''
      : s.shown
        ? `데모의 합성 조회 ${num(s.events)}건을 포함한 집계입니다.`
        : `데모의 합성 조회 ${num(s.events)}건은 빼고 셌습니다("데모 합성 조회 포함"을 켜면 더합니다).`;
}
