/**
 * Issue 8: the regional contest «Лучшая муниципальная практика» — setup, applications with the compliance check,
 * the commission's meeting and tally, decisions, the protocol (DOCX/PDF), the public results. Registered by app.ts
 * under /api/v1.
 */
export { contestRoutes } from './contest.routes.ts';
export { seedContestDemo } from './demo.ts';
export { type Tally, tally } from './tally.ts';
