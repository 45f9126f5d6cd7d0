import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { lockOwnNotice, markAllRead, markRead } from '../notices.repository.ts';

function signedIn(ctx: CommandContext) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see your notices');
  return ctx.principal;
}

/** Marks one of the caller's own notices read (another user's is 404: its existence is not disclosed). */
export async function readNotice(db: Db, ctx: CommandContext, id: number): Promise<void> {
  const p = signedIn(ctx);
  await db.transaction().execute(async (trx) => {
    const n = await lockOwnNotice(trx, p.userId, id);
    if (!n) throw notFound('Notice');
    if (n.read_at) return; // already read: nothing changes, nothing to audit
    await markRead(trx, n.id, ctx.now);
    await writeAudit(trx, ctx, { action: 'notice.read', entityType: 'notice', entityId: n.id, after: { caseId: n.case_id } });
  });
}

/** Marks every unread notice of the caller read; returns how many. */
export async function readAllNotices(db: Db, ctx: CommandContext): Promise<number> {
  const p = signedIn(ctx);
  return db.transaction().execute(async (trx) => {
    const count = await markAllRead(trx, p.userId, ctx.now);
    if (count > 0)
      await writeAudit(trx, ctx, { action: 'notice.read_all', entityType: 'user', entityId: p.userId, after: { count } });
    return count;
  });
}
