import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption, ECharts } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** The dashboards' colours (the site's palette): received, answered, on time, a warning, late. */
export const COLORS = {
  received: '#4a78b5',
  answered: '#2e8b57',
  onTime: '#163f73',
  late: '#c2410c',
  muted: '#9aa7b6',
  grid: '#e3e8ee',
  text: '#2c3440',
};

export const BASE_TEXT = { color: COLORS.text, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };

/**
 * An ECharts chart. ECharts itself comes by dynamic import the first time a chart is shown (it is bundled: no
 * network beyond our own server). The chart is a picture for sighted readers: `label` says what it shows and every
 * chart on the dashboards has a table with the same numbers next to it.
 */
export function Chart({
  option,
  label,
  height = 280,
  onPick,
  className,
}: {
  option: ChartOption;
  label: string;
  height?: number;
  /** A click on a bar or point: its index in the data. */
  onPick?: (index: number) => void;
  className?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const latest = useRef({ option, onPick });
  latest.current = { option, onPick };
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    import('./echarts.ts')
      .then(({ echarts }) => {
        const node = el.current;
        if (disposed || !node) return;
        const c = echarts.init(node, undefined, { renderer: 'svg' });
        chart.current = c;
        c.setOption(latest.current.option);
        c.on('click', (p) => {
          if (typeof p.dataIndex === 'number') latest.current.onPick?.(p.dataIndex);
        });
        observer = new ResizeObserver(() => c.resize());
        observer.observe(node);
        // Drawn: tests and screenshots wait for it.
        node.dataset.ready = 'true';
      })
      .catch(() => {
        if (!disposed) setFailed(true);
      });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  if (failed) {
    return (
      <p className="muted small analytics-chart__failed">
        График не загрузился; те же данные — в таблице ниже. Обновите страницу, чтобы попробовать снова.
      </p>
    );
  }
  return (
    <div
      ref={el}
      className={`analytics-chart${onPick ? ' analytics-chart--clickable' : ''}${className ? ` ${className}` : ''}`}
      style={{ height }}
      role="img"
      aria-label={label}
    />
  );
}
