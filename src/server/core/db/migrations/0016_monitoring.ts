import type { Kysely } from 'kysely';

/** Issue 6: social-media monitoring (sources, cursors, posts, queries, moderation). Filled in by the monitoring work. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
