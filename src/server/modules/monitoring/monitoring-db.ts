import type { ColumnType, Kysely } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { Database, MonitoringPostTable } from '../../core/db/schema.ts';
import type { PlaceKind } from './gazetteer/index.ts';
import type { MatchHit } from './query/index.ts';

/*
 * Row types of migration 0019 (monitoring_post's pipeline and reply columns, monitoring_gazetteer_entry), kept in
 * this module until they are merged into core/db/schema.ts: `mdb(db)` is the same connection typed with them.
 */

export type ReplyStatus = 'sending' | 'published' | 'manual' | 'failed';

/** The gazetteer's mention a post was placed by (0019 `monitoring_post.place`). */
export interface StoredPlace {
  kind: PlaceKind;
  name: string;
  /** The words of the post that name it, and where: UTF-16 offsets into the text, `to` exclusive. */
  text: string;
  from: number;
  to: number;
  municipalityId: number | null;
  /** The places module's row (a district), or null for a street or settlement of the gazetteer. */
  placeId: number | null;
  ambiguous: boolean;
}

/** One matched query's term ranges (0019 `monitoring_post.match_hits`). */
export interface StoredMatch {
  queryId: number;
  hits: MatchHit[];
}

export interface MonitoringPostTable0019 extends Omit<MonitoringPostTable, 'reply_status'> {
  place: ColumnType<StoredPlace | null, string | null | undefined, string | null>;
  match_hits: ColumnType<StoredMatch[] | null, string | null | undefined, string | null>;
  reply_started_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  reply_status: ColumnType<ReplyStatus | null, ReplyStatus | null | undefined, ReplyStatus | null>;
}

export interface MonitoringGazetteerEntryTable {
  id: ColumnType<number, never, never>;
  municipality_id: number;
  kind: PlaceKind;
  name: string;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  strict: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Date;
}

export interface MonitoringDatabase extends Omit<Database, 'monitoring_post'> {
  monitoring_post: MonitoringPostTable0019;
  monitoring_gazetteer_entry: MonitoringGazetteerEntryTable;
}

export type MDb = Kysely<MonitoringDatabase>;

/** The same connection (or transaction), typed with 0019's columns. */
export const mdb = (db: Db): MDb => db as unknown as MDb;
