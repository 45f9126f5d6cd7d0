import type { Principal } from '../../../core/auth/principal.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { type ContestRow, findContest, lockContest, regionOfMunicipalities } from '../contest.repository.ts';
import { CONTEST_STATUS_NAMES, type ContestStatus } from '../contest-ru.ts';
import { adminMunicipalities, isRegionalAdmin, seesWholeContest } from '../permissions.ts';

export function principalOf(ctx: CommandContext): Principal {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to work with the contest');
  return ctx.principal;
}

/** May the principal learn that the contest exists: the region's roles, or an administrator of one of its municipalities. */
export async function seesContest(db: Db, p: Principal, c: { region_id: number }): Promise<boolean> {
  if (seesWholeContest(p, c.region_id)) return true;
  return (await regionOfMunicipalities(db, adminMunicipalities(p))).includes(c.region_id);
}

/** The contest (locked when `trx` is a transaction that changes it): 404 when missing or outside the caller's scope. */
export async function contestFor(db: Db, ctx: CommandContext, id: number, lock = false): Promise<ContestRow> {
  const p = principalOf(ctx);
  const c = lock ? await lockContest(db, id) : await findContest(db, id);
  if (!c || !(await seesContest(db, p, c))) throw notFound('Contest');
  return c;
}

/** 403 unless the caller is an administrator of the contest's region. */
export function requireRegionalAdmin(ctx: CommandContext, c: ContestRow, what: string) {
  if (!isRegionalAdmin(ctx.principal, c.region_id)) throw forbidden(`Only the region’s administrator ${what}`);
}

/** 409 unless the contest is in one of `statuses`. */
export function requireStatus(c: ContestRow, statuses: readonly ContestStatus[], what: string) {
  if (!statuses.includes(c.status)) {
    throw new AppError(
      'CONFLICT',
      `Cannot ${what}: the contest is «${CONTEST_STATUS_NAMES[c.status]}» (${c.status}); this needs ${statuses.map((s) => `"${s}"`).join(' or ')}`,
    );
  }
}
