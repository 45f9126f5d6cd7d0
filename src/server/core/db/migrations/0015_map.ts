import type { Kysely } from 'kysely';

// Issue 5: placeholder, filled in by the work that owns this migration.
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
