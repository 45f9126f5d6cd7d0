import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_jobs.ts';
import * as m0003 from './0003_consent.ts';
import * as m0004 from './0004_calendar.ts';
import * as m0005 from './0005_cases.ts';
import * as m0006 from './0006_case_workflow.ts';

/** Every migration, in order. Static imports so the same list works from source, from dist and in tests. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_jobs': m0002,
  '0003_consent': m0003,
  '0004_calendar': m0004,
  '0005_cases': m0005,
  '0006_case_workflow': m0006,
};
