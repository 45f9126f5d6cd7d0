export { OPEN_STATUSES } from './cases.repository.ts';
export { casesRoutes } from './cases.routes.ts';
export { clustersRoutes } from './clusters.routes.ts';
export { joinReport } from './commands/join-report.ts';
export { type Calendars, type SubmitCaseInput, submitCase } from './commands/submit-case.ts';
export { canReadCasesOf } from './permissions.ts';
export { caseDeadlineRecomputer } from './recompute.ts';
export { templatesRoutes } from './templates.routes.ts';
