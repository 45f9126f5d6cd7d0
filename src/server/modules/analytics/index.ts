/**
 * Issue 7: analytics — per-case facts and daily rollups kept current by triggers and a refresh job, the figures
 * with their definitions (README.md), the dashboards' API, the drill-down and the heat map. Registered by app.ts
 * under /api/v1.
 */
export { allFacts, allRollupRows, markAllDirty } from './analytics.repository.ts';
export { analyticsRoutes } from './analytics.routes.ts';
export * from './analytics.schemas.ts';
export { type DrillQuery, readDrill } from './commands/read-drill.ts';
export { readExecutors } from './commands/read-executors.ts';
export { readHeat } from './commands/read-heat.ts';
export { readRegion } from './commands/read-region.ts';
export { readSummary, type SummaryQuery as SummaryInput } from './commands/read-summary.ts';
export { REFRESH_JOB, rebuildAnalytics, refreshAnalytics } from './commands/refresh-analytics.ts';
export { FIGURES } from './figures.ts';
