/**
 * Issue 7, item 4: exports — the analytics tables as CSV/XLSX, the annual feedback report as DOCX/PDF, open data.
 * Registered by app.ts under /api/v1. The feedback report's document is also what the contest module (issue 8) can cite.
 */
export { exportsRoutes } from './exports.routes.ts';
export { feedbackReport, KEY_FIGURES } from './feedback-report.ts';
export { type Summary, summaryTables } from './summary-tables.ts';
