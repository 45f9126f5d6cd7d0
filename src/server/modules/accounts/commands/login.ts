import { writeAudit } from '../../../core/audit/audit.ts';
import { burnPasswordCheck, verifyPassword } from '../../../core/auth/passwords.ts';
import { createSession, type NewSession } from '../../../core/auth/sessions.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError } from '../../../core/http/errors.ts';
import { findUserByEmail } from '../accounts.repository.ts';
import { clearAccountFailures, lockedUntil, recordLoginFailure, throttleKeys } from '../login-throttle.ts';

export interface LoginResult {
  userId: number;
  session: NewSession;
}

function lockedError(until: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    'ACCOUNT_LOCKED',
    `Too many failed sign-in attempts; sign-in is paused for ${minutes} min. You can reset the password meanwhile.`,
    undefined,
    { 'retry-after': String(seconds) },
  );
}

export async function login(
  db: Db,
  ctx: CommandContext,
  input: { email: string; password: string; userAgent?: string | undefined },
): Promise<LoginResult> {
  const email = input.email.trim();
  const keys = throttleKeys(email, ctx.ip);
  const locked = await lockedUntil(db, [keys.account, keys.ip], ctx.now);
  if (locked) throw lockedError(locked, ctx.now);

  const user = await findUserByEmail(db, email);
  let ok = false;
  if (user) ok = await verifyPassword(user.password_hash, input.password);
  else await burnPasswordCheck(input.password);
  if (!user || !ok || !user.is_active) {
    await recordLoginFailure(db, email, ctx.ip, ctx.now);
    // ASVS 16.3.1: failed authentication is a security event worth keeping.
    await writeAudit(db, ctx, {
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: user?.id ?? null,
      actorUserId: null,
      after: { email, reason: !user ? 'unknown_email' : !ok ? 'bad_password' : 'blocked' },
    });
    const nowLocked = await lockedUntil(db, [keys.account, keys.ip], ctx.now);
    if (nowLocked) throw lockedError(nowLocked, ctx.now);
    throw new AppError('INVALID_CREDENTIALS', 'Wrong e-mail or password');
  }
  await clearAccountFailures(db, email);
  return db.transaction().execute(async (trx) => {
    const session = await createSession(trx, user.id, ctx.now, { ip: ctx.ip ?? undefined, userAgent: input.userAgent });
    await writeAudit(trx, ctx, { action: 'auth.login', entityType: 'user', entityId: user.id, actorUserId: user.id });
    return { userId: user.id, session };
  });
}
