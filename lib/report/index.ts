/** Reports: confusion matrices, SVG charts and the self-contained HTML report. */
export { confusionMatrix, formatConfusionMatrix } from './confusion';
export { lineChart, confusionHeatmap, niceTicks, escapeXml } from './svg';
export type { Series, LineChartOptions } from './svg';
export { renderReport, imageDataUri } from './html';
export type { ReportData, ReportEpoch, ReportImage, ReportLayer } from './html';
