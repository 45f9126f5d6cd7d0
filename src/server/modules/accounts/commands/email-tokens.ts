import { EMAIL_CONFIRM_TTL_MS, PASSWORD_RESET_TTL_MS } from '../../../../shared/limits.ts';
import { writeAudit } from '../../../core/audit/audit.ts';
import { hashPassword } from '../../../core/auth/passwords.ts';
import { revokeAllSessions } from '../../../core/auth/sessions.ts';
import { newToken, tokenId } from '../../../core/auth/tokens.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError } from '../../../core/http/errors.ts';
import { enqueueMail } from '../../../core/mail/mail-job.ts';
import { consumeEmailToken, findUserByEmail, findUserById, insertEmailToken } from '../accounts.repository.ts';
import { assertPasswordAcceptable } from '../password-policy.ts';

const tokenInvalid = () =>
  new AppError('TOKEN_INVALID', 'This link has expired or was already used; request a new one', [
    { field: 'token', reason: 'expired or already used' },
  ]);

/** A one-time confirmation link, queued as a letter in the caller's transaction. */
export async function sendEmailConfirmation(
  trx: Parameters<typeof enqueueMail>[0] & Parameters<typeof insertEmailToken>[0],
  ctx: CommandContext,
  deps: { publicUrl: string },
  user: { id: number; email: string; firstName: string },
): Promise<void> {
  const token = newToken();
  await insertEmailToken(trx, {
    id: tokenId(token),
    userId: user.id,
    purpose: 'confirm_email',
    expiresAt: new Date(ctx.now.getTime() + EMAIL_CONFIRM_TTL_MS),
    now: ctx.now,
  });
  const link = `${deps.publicUrl}/confirm-email?token=${encodeURIComponent(token)}`;
  await enqueueMail(trx, ctx, {
    to: user.email,
    subject: 'Отклик: подтвердите адрес электронной почты',
    text:
      `Здравствуйте, ${user.firstName}!\n\nВы зарегистрировались на платформе «Отклик». ` +
      `Чтобы подтвердить адрес электронной почты, откройте ссылку:\n${link}\n\n` +
      'Ссылка действует 3 дня. Если вы не регистрировались, просто удалите это письмо.',
  });
}

/** A new confirmation link for a signed-in resident whose link expired or got lost; at most one a minute. */
export async function resendEmailConfirmation(db: Db, ctx: CommandContext, deps: { publicUrl: string }, userId: number) {
  const user = await findUserById(db, userId);
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  if (user.email_confirmed_at) return { alreadyConfirmed: true };
  const recent = await db
    .selectFrom('email_token')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('purpose', '=', 'confirm_email')
    .where('created_at', '>', new Date(ctx.now.getTime() - RESEND_INTERVAL_MS))
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (recent) {
    const wait = Math.max(1, Math.ceil((recent.created_at.getTime() + RESEND_INTERVAL_MS - ctx.now.getTime()) / 1000));
    throw new AppError(
      'RATE_LIMITED',
      `A letter was sent less than a minute ago; check the mailbox (and the spam folder), or ask again in ${wait} s`,
      undefined,
      { 'retry-after': String(wait) },
    );
  }
  await db.transaction().execute(async (trx) => {
    await sendEmailConfirmation(trx, ctx, deps, { id: user.id, email: user.email, firstName: user.first_name });
    await writeAudit(trx, ctx, { action: 'user.email_confirmation_resent', entityType: 'user', entityId: user.id });
  });
  return { alreadyConfirmed: false };
}

const RESEND_INTERVAL_MS = 60_000;

export async function confirmEmail(db: Db, ctx: CommandContext, token: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const userId = await consumeEmailToken(trx, tokenId(token), 'confirm_email', ctx.now);
    if (!userId) throw tokenInvalid();
    await trx
      .updateTable('app_user')
      .set({ email_confirmed_at: ctx.now, updated_at: ctx.now })
      .where('id', '=', userId)
      .execute();
    await writeAudit(trx, ctx, { action: 'user.email_confirmed', entityType: 'user', entityId: userId, actorUserId: userId });
  });
}

/** Always succeeds from the caller's point of view: whether the address has an account is not disclosed. */
export async function requestPasswordReset(
  db: Db,
  ctx: CommandContext,
  deps: { publicUrl: string },
  email: string,
): Promise<void> {
  const user = await findUserByEmail(db, email.trim());
  if (!user?.is_active) return;
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    await insertEmailToken(trx, {
      id: tokenId(token),
      userId: user.id,
      purpose: 'reset_password',
      expiresAt: new Date(ctx.now.getTime() + PASSWORD_RESET_TTL_MS),
      now: ctx.now,
    });
    await enqueueMail(trx, ctx, {
      to: user.email,
      subject: 'Отклик: восстановление пароля',
      text:
        `Здравствуйте, ${user.first_name}!\n\nЧтобы задать новый пароль, откройте ссылку:\n` +
        `${deps.publicUrl}/reset-password?token=${encodeURIComponent(token)}\n\n` +
        'Ссылка действует 1 час. Если вы не запрашивали восстановление, просто удалите это письмо.',
    });
    await writeAudit(trx, ctx, {
      action: 'auth.password_reset_requested',
      entityType: 'user',
      entityId: user.id,
      actorUserId: null,
    });
  });
}

export async function resetPassword(db: Db, ctx: CommandContext, token: string, password: string): Promise<void> {
  const id = tokenId(token);
  // Check the token before the (slow) hash, and again atomically when consuming it.
  const pending = await db.selectFrom('email_token').select('user_id').where('id', '=', id).executeTakeFirst();
  if (!pending) throw tokenInvalid();
  const user = await findUserById(db, pending.user_id);
  if (!user) throw tokenInvalid();
  assertPasswordAcceptable(password, [user.email, user.last_name, user.first_name]);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const userId = await consumeEmailToken(trx, id, 'reset_password', ctx.now);
    if (!userId) throw tokenInvalid();
    await trx
      .updateTable('app_user')
      // Following the link proves the mailbox, so the address counts as confirmed too.
      .set({ password_hash: passwordHash, email_confirmed_at: user.email_confirmed_at ?? ctx.now, updated_at: ctx.now })
      .where('id', '=', userId)
      .execute();
    // ASVS 7.4.3: a credential change ends every other session.
    await revokeAllSessions(trx, userId, ctx.now);
    await trx.deleteFrom('login_throttle').where('key', '=', `email:${user.email.toLowerCase()}`).execute();
    await writeAudit(trx, ctx, { action: 'auth.password_reset', entityType: 'user', entityId: userId, actorUserId: userId });
  });
}
