import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_jobs.ts';
import * as m0003 from './0003_consent.ts';
import * as m0004 from './0004_calendar.ts';
import * as m0005 from './0005_cases.ts';
import * as m0006 from './0006_case_workflow.ts';
import * as m0007 from './0007_case_side_paths.ts';
import * as m0008 from './0008_attachments.ts';
import * as m0009 from './0009_case_clusters.ts';
import * as m0010 from './0010_notices.ts';
import * as m0011 from './0011_answer_templates.ts';
import * as m0012 from './0012_case_indexes.ts';
import * as m0013 from './0013_places.ts';
import * as m0014 from './0014_open311.ts';
import * as m0015 from './0015_map.ts';
import * as m0016 from './0016_monitoring.ts';
import * as m0017 from './0017_analytics.ts';
import * as m0018 from './0018_map_open_index.ts';
import * as m0019 from './0019_monitoring_moderation.ts';
import * as m0020 from './0020_contest.ts';
import * as m0021 from './0021_contest_attachments.ts';

/** Every migration, in order. Static imports so the same list works from source, from dist and in tests. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_jobs': m0002,
  '0003_consent': m0003,
  '0004_calendar': m0004,
  '0005_cases': m0005,
  '0006_case_workflow': m0006,
  '0007_case_side_paths': m0007,
  '0008_attachments': m0008,
  '0009_case_clusters': m0009,
  '0010_notices': m0010,
  '0011_answer_templates': m0011,
  '0012_case_indexes': m0012,
  '0013_places': m0013,
  '0014_open311': m0014,
  '0015_map': m0015,
  '0016_monitoring': m0016,
  '0017_analytics': m0017,
  '0018_map_open_index': m0018,
  '0019_monitoring_moderation': m0019,
  '0020_contest': m0020,
  '0021_contest_attachments': m0021,
};
