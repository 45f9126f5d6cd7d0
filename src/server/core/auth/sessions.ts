import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../../shared/limits.ts';
import type { Db } from '../db/index.ts';
import type { Principal, RoleGrant } from './principal.ts';
import { newToken, tokenId } from './tokens.ts';

/** Refresh `last_seen_at` at most this often: one write per few minutes, not one per request. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export interface NewSession {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/** A fresh token on every login (ASVS 7.2.4: no session fixation). */
export async function createSession(
  db: Db,
  userId: number,
  now: Date,
  meta: { ip?: string | undefined; userAgent?: string | undefined },
): Promise<NewSession> {
  const token = newToken();
  const sessionId = tokenId(token);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await db
    .insertInto('session')
    .values({
      id: sessionId,
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, sessionId, expiresAt };
}

/** The principal behind a session cookie, or undefined when the session is unknown, revoked, idle or expired. */
export async function resolveSession(db: Db, token: string, now: Date): Promise<Principal | undefined> {
  const sessionId = tokenId(token);
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id as sessionId',
      'session.last_seen_at',
      'session.expires_at',
      'session.revoked_at',
      'app_user.id as userId',
      'app_user.email',
      'app_user.last_name',
      'app_user.first_name',
      'app_user.middle_name',
      'app_user.email_confirmed_at',
      'app_user.is_active',
    ])
    // The roles in the same round trip: they are read on every request, so a change of roles applies at once.
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('user_role')
          .select([
            'user_role.role',
            'user_role.region_id as regionId',
            'user_role.municipality_id as municipalityId',
            'user_role.department_id as departmentId',
          ])
          .whereRef('user_role.user_id', '=', 'app_user.id')
          .orderBy('user_role.id'),
      ).as('roles'),
    )
    .where('session.id', '=', sessionId)
    .executeTakeFirst();
  if (!row || row.revoked_at || !row.is_active) return undefined;
  if (row.expires_at.getTime() <= now.getTime()) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.updateTable('session').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
  }
  return {
    userId: row.userId,
    sessionId: row.sessionId,
    email: row.email,
    lastName: row.last_name,
    firstName: row.first_name,
    middleName: row.middle_name,
    emailConfirmed: row.email_confirmed_at !== null,
    roles: row.roles as RoleGrant[],
  };
}

export async function revokeSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('session').set({ revoked_at: now }).where('id', '=', sessionId).execute();
}

/** After a password change or reset, or when an account is blocked: every session of the user ends. */
export async function revokeAllSessions(db: Db, userId: number, now: Date): Promise<void> {
  await db
    .updateTable('session')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
