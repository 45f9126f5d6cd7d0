import { PERSONAL_DATA_CONSENT } from '../../../../shared/consent.ts';
import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { invalid } from '../../../core/http/errors.ts';

type Conn = Parameters<typeof writeAudit>[0];

export function assertCurrentConsentVersion(version: string, field = 'consent.version'): void {
  if (version !== PERSONAL_DATA_CONSENT.version) {
    throw invalid(
      field,
      `is not the current version (${PERSONAL_DATA_CONSENT.version}); reload the page to read the current text`,
    );
  }
}

/** Records a consent (inside the caller's transaction), with where it came from: the burden of proof is ours. */
export async function recordConsent(db: Conn, ctx: CommandContext, userId: number, version: string, userAgent?: string) {
  assertCurrentConsentVersion(version);
  await db
    .insertInto('consent')
    .values({
      user_id: userId,
      kind: 'personal_data',
      version,
      accepted_at: ctx.now,
      ip: ctx.ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  await writeAudit(db, ctx, {
    action: 'consent.give',
    entityType: 'user',
    entityId: userId,
    actorUserId: userId,
    after: { kind: 'personal_data', version },
  });
}

export function listConsents(db: Db, userId: number) {
  return db
    .selectFrom('consent')
    .select(['kind', 'version', 'accepted_at', 'withdrawn_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

export async function giveConsent(db: Db, ctx: CommandContext, userId: number, version: string, userAgent?: string) {
  assertCurrentConsentVersion(version);
  await db.transaction().execute(async (trx) => {
    const active = await trx
      .selectFrom('consent')
      .select('id')
      .where('user_id', '=', userId)
      .where('kind', '=', 'personal_data')
      .where('version', '=', version)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (!active) await recordConsent(trx, ctx, userId, version, userAgent);
  });
}

/** 152-ФЗ ст. 9 ч. 2: consent may be withdrawn at any time; processing then rests only on the law (59-ФЗ). */
export async function withdrawConsent(db: Db, ctx: CommandContext, userId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('consent')
      .set({ withdrawn_at: ctx.now })
      .where('user_id', '=', userId)
      .where('kind', '=', 'personal_data')
      .where('withdrawn_at', 'is', null)
      .returning('id')
      .execute();
    if (rows.length) {
      await writeAudit(trx, ctx, {
        action: 'consent.withdraw',
        entityType: 'user',
        entityId: userId,
        actorUserId: userId,
        after: { kind: 'personal_data' },
      });
    }
    return rows.length;
  });
}
