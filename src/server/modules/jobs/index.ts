export { retryJob } from './commands/retry-job.ts';
export { countJobs, type JobCounts, listJobs } from './jobs.repository.ts';
export { jobsRoutes } from './jobs.routes.ts';
