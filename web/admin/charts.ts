import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only the parts the page draws are bundled (about a third of the full library).
echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

const FONT = "'Apple SD Gothic Neo', 'Malgun Gothic', 'Noto Sans KR', 'NanumGothic', sans-serif";
// one per topic of the events-per-day chart (nine with Like_log)
const COLORS = ['#3b6fd8', '#e0624b', '#2fa37a', '#e6a23c', '#8e5bd1', '#20a1b8', '#c94f8a', '#7a8599', '#a0522d'];

const charts = new Map<HTMLElement, echarts.ECharts>();

function chartIn(el: HTMLElement): echarts.ECharts {
  let chart = charts.get(el);
  if (!chart) {
    // SVG: crisp on phones, and its labels are text a test (or a screen reader) can find
    chart = echarts.init(el, undefined, { renderer: 'svg' });
    charts.set(el, chart);
  }
  return chart;
}

window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

// richText tooltips are drawn, not HTML: keywords and titles typed by users are never markup
const base = {
  color: COLORS,
  textStyle: { fontFamily: FONT },
  animation: false,
  tooltip: { trigger: 'axis' as const, renderMode: 'richText' as const },
  grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
};

export interface Series {
  name: string;
  values: number[];
}

/** Lines over days (one per series). */
export function lineChart(el: HTMLElement, days: string[], series: Series[]): void {
  chartIn(el).setOption(
    {
      ...base,
      legend: { top: 0, type: 'scroll' },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)), boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({ type: 'line', name: s.name, data: s.values, showSymbol: true, symbolSize: 6 })),
    },
    true,
  );
  el.dataset.rendered = 'true';
}

/** Horizontal bars, largest on top, each with its value written beside it. */
export function barChart(el: HTMLElement, labels: string[], values: number[], format: (v: number) => string = String): void {
  chartIn(el).setOption(
    {
      ...base,
      tooltip: { ...base.tooltip, trigger: 'item' },
      grid: { ...base.grid, top: 8, right: 48 },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { show: false }, splitLine: { show: false } },
      yAxis: { type: 'category', data: [...labels].reverse(), axisLabel: { width: 140, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          data: [...values].reverse(),
          barMaxWidth: 22,
          label: { show: true, position: 'right', formatter: (p: { value: unknown }) => format(Number(p.value)) },
        },
      ],
    },
    true,
  );
  el.dataset.rendered = 'true';
}

/** Activity by day (rows) and KST hour (columns). */
export function heatMap(el: HTMLElement, days: string[], cells: { day: string; hour: number; events: number }[]): void {
  const index = new Map(days.map((d, i) => [d, i]));
  const max = Math.max(1, ...cells.map((c) => c.events));
  chartIn(el).setOption(
    {
      ...base,
      tooltip: { trigger: 'item', renderMode: 'richText' },
      grid: { ...base.grid, top: 8, bottom: 48 },
      xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => `${h}시`), splitArea: { show: true } },
      yAxis: { type: 'category', data: days.map((d) => d.slice(5)), splitArea: { show: true }, inverse: true },
      visualMap: {
        min: 0,
        max,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        inRange: { color: ['#f3f6fc', '#9db6ec', '#3b6fd8', '#173b8a'] },
      },
      series: [
        {
          type: 'heatmap',
          name: '이벤트',
          data: cells.map((c) => [c.hour, index.get(c.day) ?? 0, c.events]),
          label: { show: days.length <= 14, formatter: (p: { value: unknown }) => String((p.value as number[])[2] || '') },
        },
      ],
    },
    true,
  );
  el.dataset.rendered = 'true';
}
