export { calendarRoutes } from './calendar.routes.ts';
export { CalendarService } from './calendar-service.ts';
export { type MunicipalDeadlineSettings, readSettings } from './commands/save-deadline-settings.ts';
export {
  type DeadlineRecomputer,
  DeadlineRecomputers,
  RECOMPUTE_JOB,
  type RecomputeRequest,
  registerRecomputeJob,
} from './recompute.ts';
