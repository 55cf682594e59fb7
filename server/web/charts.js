// The one place that draws ECharts options (built by chart_options.js).
import * as echarts from './vendor/echarts.js';

export { rollcallBarOption, trendOption, questionOption } from './chart_options.js';

// Draw OPTION into NODE (an element with a size), reusing its chart when there is one.
export function draw(node, option) {
  const chart = echarts.getInstanceByDom(node) || echarts.init(node, null, { renderer: 'canvas' });
  chart.setOption(option, true);
  return chart;
}

export function dispose(node) {
  const chart = node && echarts.getInstanceByDom(node);
  if (chart) chart.dispose();
}
