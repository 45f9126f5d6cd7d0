import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { emailTaken, insertAccount, isUniqueViolation, prepareAccount } from '../new-account.ts';
import { assertCurrentConsentVersion, recordConsent } from './consents.ts';
import { sendEmailConfirmation } from './email-tokens.ts';

export interface RegisterInput {
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  middleName?: string | undefined;
  /** Given only if the resident ticked the separate consent (152-ФЗ ст. 9); registration does not require it. */
  consent?: { version: string } | undefined;
  userAgent?: string | undefined;
}

/** A resident signs up; a confirmation link goes by e-mail (logged instead when no SMTP is configured). */
export async function registerResident(db: Db, ctx: CommandContext, deps: { publicUrl: string }, input: RegisterInput) {
  const email = input.email.trim();
  if (input.consent) assertCurrentConsentVersion(input.consent.version);
  const account = await prepareAccount(db, { ...input, email, emailConfirmed: false });
  let user: { id: number; email: string };
  try {
    user = await db.transaction().execute(async (trx) => {
      const created = await insertAccount(trx, ctx, account);
      await trx.insertInto('user_role').values({ user_id: created.id, role: 'resident', created_at: ctx.now }).execute();
      if (input.consent) await recordConsent(trx, ctx, created.id, input.consent.version, input.userAgent);
      await sendEmailConfirmation(trx, ctx, deps, { id: created.id, email: created.email, firstName: input.firstName.trim() });
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
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return user;
}
