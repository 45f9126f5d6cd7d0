/** In-cabinet notices (letters about a case to its applicant, staff deadline reminders) and the reminder job. */
export { createNotice, createNotices, type NewNotice } from './notices.repository.ts';
export { noticesRoutes } from './notices.routes.ts';
export {
  DEFAULT_REMINDER_LEAD_MS,
  REMINDER_JOB,
  registerReminderJob,
  scheduleReminderJob,
  sendDeadlineReminders,
} from './reminders.ts';
