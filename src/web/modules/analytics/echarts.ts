// ECharts with only what the dashboards draw (bars, lines, axes, tooltip, legend) on the SVG renderer: bundled, so
// charts need no network (no CDN, 152-ФЗ), and imported dynamically by chart.tsx, so residents' pages never load it.
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { echarts };
