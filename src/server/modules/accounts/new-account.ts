import type { Kysely, Transaction } from 'kysely';
import { hashPassword } from '../../core/auth/passwords.ts';
import type { CommandContext } from '../../core/context.ts';
import type { Database } from '../../core/db/schema.ts';
import { AppError } from '../../core/http/errors.ts';
import { findUserByEmail } from './accounts.repository.ts';
import { assertPasswordAcceptable } from './password-policy.ts';

/** The one path by which an account comes to exist: self-registration, an admin, the CLI and the demo seed. */
export interface NewAccount {
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  middleName?: string | undefined;
  phone?: string | undefined;
  /** An administrator vouches for the address: it counts as confirmed. */
  emailConfirmed: boolean;
}

export const emailTaken = () =>
  new AppError('EMAIL_TAKEN', 'An account with this e-mail already exists; sign in or reset the password', [
    { field: 'email', reason: 'already registered' },
  ]);

/** A unique-index violation: two requests raced for one address; the loser gets the same answer as a late one. */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Checks done before the transaction: the password policy, the address is free, and the (slow) hash. */
export async function prepareAccount(db: Kysely<Database>, input: NewAccount): Promise<NewAccount & { passwordHash: string }> {
  const email = input.email.trim();
  assertPasswordAcceptable(input.password, [email, input.lastName, input.firstName]);
  if (await findUserByEmail(db, email)) throw emailTaken();
  return { ...input, email, passwordHash: await hashPassword(input.password) };
}

export function insertAccount(trx: Transaction<Database>, ctx: CommandContext, account: NewAccount & { passwordHash: string }) {
  return trx
    .insertInto('app_user')
    .values({
      email: account.email,
      password_hash: account.passwordHash,
      last_name: account.lastName.trim(),
      first_name: account.firstName.trim(),
      middle_name: account.middleName?.trim() || null,
      phone: account.phone ?? null,
      email_confirmed_at: account.emailConfirmed ? ctx.now : null,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
}
