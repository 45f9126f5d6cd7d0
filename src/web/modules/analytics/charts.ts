import type { BreakdownRow, TrendPoint } from './analytics.api.ts';
import { BASE_TEXT, type ChartOption, COLORS } from './chart.tsx';
import { formatCount, formatShare } from './format.ts';
import { formatMonth } from './period.ts';

// The dashboards' chart options, built from the API's rows. No animation: the figures are read, not watched.

const tooltipBase = {
  backgroundColor: '#fff',
  borderColor: COLORS.grid,
  textStyle: { ...BASE_TEXT, fontSize: 13 },
  confine: true,
} as const;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** Received and answered per month (bars) and the share decided on time (a line, right axis). */
export function trendOption(trend: TrendPoint[], narrow = false): ChartOption {
  return {
    animation: false,
    textStyle: BASE_TEXT,
    // On a phone the legend takes two lines.
    grid: { left: 8, right: 8, top: narrow ? 64 : 40, bottom: 8 },
    legend: { top: 0, left: 0, itemGap: 16, textStyle: BASE_TEXT },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      formatter: (items) => {
        const list = Array.isArray(items) ? items : [items];
        const i = list[0]?.dataIndex ?? 0;
        const p = trend[i];
        if (!p) return '';
        return [
          `<b>${escapeHtml(formatMonth(p.month, true))}</b>`,
          `Поступило: ${formatCount(p.received)}`,
          `Дан ответ: ${formatCount(p.answered)}`,
          `Решено в срок: ${p.onTimeShare === null ? '—' : formatShare(p.onTimeShare)}`,
        ].join('<br>');
      },
    },
    xAxis: {
      type: 'category',
      data: trend.map((p) => formatMonth(p.month)),
      axisLabel: { color: COLORS.text, hideOverlap: true },
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: COLORS.grid } }, axisLabel: { color: COLORS.text } },
      {
        type: 'value',
        min: 0,
        max: 100,
        interval: 25,
        splitLine: { show: false },
        axisLabel: { color: COLORS.text, formatter: '{value} %' },
      },
    ],
    series: [
      {
        name: 'Поступило',
        type: 'bar',
        data: trend.map((p) => p.received),
        itemStyle: { color: COLORS.received },
        barGap: '10%',
      },
      { name: 'Дан ответ', type: 'bar', data: trend.map((p) => p.answered), itemStyle: { color: COLORS.answered } },
      {
        name: 'Решено в срок, %',
        type: 'line',
        yAxisIndex: 1,
        data: trend.map((p) => pct(p.onTimeShare)),
        connectNulls: false,
        symbolSize: 7,
        lineStyle: { width: 2.5, color: COLORS.onTime },
        itemStyle: { color: COLORS.onTime },
      },
    ],
  };
}

/** Long labels are cut on the axis (the table beside the chart has them whole). */
const categoryAxis = (labels: string[], width: number) => ({
  type: 'category' as const,
  data: labels,
  inverse: true,
  axisTick: { show: false },
  axisLabel: { color: COLORS.text, width, overflow: 'truncate' as const },
});

/** Received and answered per value of a dimension (the largest first), horizontal bars. */
export function breakdownOption(rows: BreakdownRow[], labelWidth: number): ChartOption {
  return {
    animation: false,
    textStyle: BASE_TEXT,
    grid: { left: 8, right: 24, top: 32, bottom: 8 },
    legend: { top: 0, left: 0, textStyle: BASE_TEXT },
    tooltip: { ...tooltipBase, trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: COLORS.grid } }, axisLabel: { color: COLORS.text } },
    yAxis: categoryAxis(
      rows.map((r) => r.label),
      labelWidth,
    ),
    series: [
      { name: 'Поступило', type: 'bar', data: rows.map((r) => r.received), itemStyle: { color: COLORS.received } },
      { name: 'Дан ответ', type: 'bar', data: rows.map((r) => r.answered), itemStyle: { color: COLORS.answered } },
    ],
  };
}

/**
 * A share decided on time per row (a department, an executor, a municipality), horizontal bars in the rows' order;
 * below `warnBelow` a bar is drawn in the warning colour. Rows with nothing decided have no bar.
 */
export function onTimeOption(
  rows: Array<{ label: string; share: number | null }>,
  labelWidth: number,
  warnBelow = 0.9,
): ChartOption {
  return {
    animation: false,
    textStyle: BASE_TEXT,
    grid: { left: 8, right: 64, top: 8, bottom: 8 },
    tooltip: {
      ...tooltipBase,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items) => {
        const list = Array.isArray(items) ? items : [items];
        const i = list[0]?.dataIndex ?? 0;
        const r = rows[i];
        if (!r) return '';
        return `<b>${escapeHtml(r.label)}</b><br>Решено в срок: ${r.share === null ? 'нет решённых дел' : formatShare(r.share)}`;
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 25,
      splitLine: { lineStyle: { color: COLORS.grid } },
      axisLabel: { color: COLORS.text, formatter: '{value} %' },
    },
    yAxis: categoryAxis(
      rows.map((r) => r.label),
      labelWidth,
    ),
    series: [
      {
        name: 'Решено в срок, %',
        type: 'bar',
        data: rows.map((r) => ({
          value: pct(r.share) ?? 0,
          itemStyle: { color: r.share !== null && r.share < warnBelow ? COLORS.late : COLORS.onTime },
        })),
        label: {
          show: true,
          position: 'right',
          color: COLORS.text,
          formatter: (p) => {
            const r = rows[p.dataIndex];
            return r?.share === null || r === undefined ? '—' : formatShare(r.share);
          },
        },
        barMaxWidth: 22,
      },
    ],
  };
}
