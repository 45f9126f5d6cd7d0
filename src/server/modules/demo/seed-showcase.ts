import type { Db } from '../../core/db/index.ts';
import { seedContestDemo } from '../contest/index.ts';
import { seedMonitoringDemo } from '../monitoring/index.ts';
import { type SeedResult, seedDemo } from './seed-demo.ts';

/**
 * What `otklik serve --demo` shows: the demo region (seedDemo, also the tests' fixture) and, on top, the showcase of
 * the later modules — monitoring queries, a webhook source and matched posts (issue 6), this year's contest with its
 * commission (issue 8). Each part does nothing when it is already there, so a restart seeds nothing twice. Tests seed
 * only `seedDemo`, so these extras never change their fixtures.
 */
export async function seedShowcase(db: Db, now: Date): Promise<SeedResult> {
  const result = await seedDemo(db, now);
  await seedMonitoringDemo(db, now);
  await seedContestDemo(db, now);
  return result;
}
