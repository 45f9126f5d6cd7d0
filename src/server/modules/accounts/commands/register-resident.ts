import { EMAIL_CONFIRM_TTL_MS } from '../../../../shared/limits.ts';
import { writeAudit } from '../../../core/audit/audit.ts';
import { hashPassword } from '../../../core/auth/passwords.ts';
import { newToken, tokenId } from '../../../core/auth/tokens.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError } from '../../../core/http/errors.ts';
import { enqueueMail } from '../../../core/mail/mail-job.ts';
import { findUserByEmail, insertEmailToken } from '../accounts.repository.ts';
import { assertPasswordAcceptable } from '../password-policy.ts';

export interface RegisterInput {
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  middleName?: string | undefined;
}

const emailTaken = () =>
  new AppError('EMAIL_TAKEN', 'An account with this e-mail already exists; sign in or reset the password', [
    { field: 'email', reason: 'already registered' },
  ]);

/** A resident signs up; a confirmation link goes by e-mail (logged instead when no SMTP is configured). */
export async function registerResident(db: Db, ctx: CommandContext, deps: { publicUrl: string }, input: RegisterInput) {
  const email = input.email.trim();
  assertPasswordAcceptable(input.password, [email, input.lastName, input.firstName]);
  if (await findUserByEmail(db, email)) throw emailTaken();
  const passwordHash = await hashPassword(input.password);
  const token = newToken();
  let user: { id: number; email: string };
  try {
    user = await db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('app_user')
        .values({
          email,
          password_hash: passwordHash,
          last_name: input.lastName.trim(),
          first_name: input.firstName.trim(),
          middle_name: input.middleName?.trim() || null,
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .returning(['id', 'email'])
        .executeTakeFirstOrThrow();
      await trx.insertInto('user_role').values({ user_id: created.id, role: 'resident', created_at: ctx.now }).execute();
      await insertEmailToken(trx, {
        id: tokenId(token),
        userId: created.id,
        purpose: 'confirm_email',
        expiresAt: new Date(ctx.now.getTime() + EMAIL_CONFIRM_TTL_MS),
        now: ctx.now,
      });
      const link = `${deps.publicUrl}/confirm-email?token=${encodeURIComponent(token)}`;
      await enqueueMail(trx, ctx, {
        to: created.email,
        subject: 'Отклик: подтвердите адрес электронной почты',
        text:
          `Здравствуйте, ${input.firstName}!\n\nВы зарегистрировались на платформе «Отклик». ` +
          `Чтобы подтвердить адрес электронной почты, откройте ссылку:\n${link}\n\n` +
          'Ссылка действует 3 дня. Если вы не регистрировались, просто удалите это письмо.',
      });
      await writeAudit(trx, ctx, {
        action: 'user.register',
        entityType: 'user',
        entityId: created.id,
        actorUserId: created.id,
        after: { email: created.email, role: 'resident' },
      });
      return created;
    });
  } catch (error) {
    // Two registrations racing for one address: the unique index decides, the loser gets the same 409.
    if ((error as { code?: string }).code === '23505') throw emailTaken();
    throw error;
  }
  return user;
}
