import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_jobs.ts';

/** Every migration, in order. Static imports so the same list works from source, from dist and in tests. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_jobs': m0002,
};
