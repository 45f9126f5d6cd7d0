import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../core/db/schema.ts';

type Conn = Kysely<Database> | Transaction<Database>;

export function findUserByEmail(db: Conn, email: string) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
}

export function findUserById(db: Conn, id: number) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertEmailToken(
  db: Conn,
  row: { id: string; userId: number; purpose: 'confirm_email' | 'reset_password'; expiresAt: Date; now: Date },
) {
  await db
    .insertInto('email_token')
    .values({ id: row.id, user_id: row.userId, purpose: row.purpose, expires_at: row.expiresAt, created_at: row.now })
    .execute();
}

/** Marks the token used and returns its user, or undefined if it is unknown, used, expired or for another purpose. */
export async function consumeEmailToken(
  db: Conn,
  id: string,
  purpose: 'confirm_email' | 'reset_password',
  now: Date,
): Promise<number | undefined> {
  const row = await db
    .updateTable('email_token')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}
