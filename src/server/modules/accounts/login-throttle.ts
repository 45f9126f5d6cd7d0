import { sql } from 'kysely';
import {
  LOGIN_LOCKOUT_MS,
  LOGIN_MAX_FAILURES_PER_ACCOUNT,
  LOGIN_MAX_FAILURES_PER_IP,
  LOGIN_WINDOW_MS,
} from '../../../shared/limits.ts';
import type { Db } from '../../core/db/index.ts';

/**
 * Brute-force control (ASVS 6.3.1), kept in the database so every app node sees the same counts:
 * N failures within the window lock the key (an account's e-mail, or a client address) for a while.
 */
export const throttleKeys = (email: string, ip: string | null) => ({
  account: `email:${email.toLowerCase()}`,
  ip: `ip:${ip ?? 'unknown'}`,
});

/** When the key is locked, the instant the lock ends; otherwise undefined. */
export async function lockedUntil(db: Db, keys: string[], now: Date): Promise<Date | undefined> {
  const rows = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('key', 'in', keys)
    .where('locked_until', '>', now)
    .execute();
  const times = rows.map((r) => r.locked_until?.getTime() ?? 0);
  return times.length ? new Date(Math.max(...times)) : undefined;
}

export async function recordFailure(db: Db, key: string, limit: number, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const lockUntil = new Date(now.getTime() + LOGIN_LOCKOUT_MS);
  // One statement, so concurrent failures from several nodes are all counted.
  await sql`
    insert into login_throttle (key, failures, window_started_at, locked_until)
    values (${key}, 1, ${now}, ${limit <= 1 ? lockUntil : null})
    on conflict (key) do update set
      failures = case when login_throttle.window_started_at < ${windowStart} then 1 else login_throttle.failures + 1 end,
      window_started_at = case when login_throttle.window_started_at < ${windowStart} then ${now} else login_throttle.window_started_at end,
      locked_until = case
        when login_throttle.window_started_at >= ${windowStart} and login_throttle.failures + 1 >= ${limit} then ${lockUntil}
        else login_throttle.locked_until end
  `.execute(db);
}

export async function recordLoginFailure(db: Db, email: string, ip: string | null, now: Date): Promise<void> {
  const keys = throttleKeys(email, ip);
  await recordFailure(db, keys.account, LOGIN_MAX_FAILURES_PER_ACCOUNT, now);
  await recordFailure(db, keys.ip, LOGIN_MAX_FAILURES_PER_IP, now);
}

export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', throttleKeys(email, null).account).execute();
}
