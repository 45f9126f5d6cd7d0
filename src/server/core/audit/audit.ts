import type { Kysely, Transaction } from 'kysely';
import type { CommandContext } from '../context.ts';
import type { Database } from '../db/schema.ts';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  municipalityId?: number | null;
  before?: unknown;
  after?: unknown;
  /** Overrides the context's principal (e.g. a login, where the actor is known only after the check). */
  actorUserId?: number | null;
}

/**
 * Appends one audit row. Call it with the transaction that makes the change, so the change and its audit row
 * commit or roll back together. The table refuses updates and deletes (a trigger in the migration).
 */
export async function writeAudit(
  db: Kysely<Database> | Transaction<Database>,
  ctx: CommandContext,
  entry: AuditEntry,
): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(ctx, entry)).execute();
}

/** Many audit rows in one statement (a batch of changes, each with its own context), in the changes' transaction. */
export async function writeAudits(
  db: Kysely<Database> | Transaction<Database>,
  entries: ReadonlyArray<{ ctx: CommandContext; entry: AuditEntry }>,
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(entries.map((e) => auditRow(e.ctx, e.entry)))
    .execute();
}

function auditRow(ctx: CommandContext, entry: AuditEntry) {
  return {
    at: ctx.now,
    actor_user_id: entry.actorUserId !== undefined ? entry.actorUserId : (ctx.principal?.userId ?? null),
    municipality_id: entry.municipalityId ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    request_id: ctx.requestId,
    ip: ctx.ip,
  };
}

/** 152-ФЗ: every read of a person's personal data by staff leaves a trace. */
export function auditPersonalDataRead(
  db: Kysely<Database>,
  ctx: CommandContext,
  subject: { userId: number; municipalityId?: number | null; fields: string[] },
): Promise<void> {
  return writeAudit(db, ctx, {
    action: 'personal_data.read',
    entityType: 'user',
    entityId: subject.userId,
    municipalityId: subject.municipalityId ?? null,
    after: { fields: subject.fields },
  });
}
