import type { Transaction } from 'kysely';
import { REGIONAL_ROLES } from '../../../../shared/roles.ts';
import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { Database } from '../../../core/db/schema.ts';
import { forbidden, invalid } from '../../../core/http/errors.ts';
import { emailTaken, insertAccount, isUniqueViolation, prepareAccount } from '../../accounts/index.ts';
import { type GrantRequest, staffPermissions } from '../staff.permissions.ts';

export interface ProvisionUserInput {
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  middleName?: string | undefined;
  phone?: string | undefined;
  roles: GrantRequest[];
}

export interface ResolvedGrant {
  role: GrantRequest['role'];
  region_id: number | null;
  municipality_id: number | null;
  department_id: number | null;
}

/**
 * Checks every grant (the scope exists, the department belongs to the municipality, the caller may grant it)
 * and fills in the region. `system` (CLI, demo seed) skips the caller check but not the consistency checks.
 */
export async function resolveGrants(
  trx: Transaction<Database> | Db,
  ctx: CommandContext,
  grants: GrantRequest[],
  options: { system?: boolean } = {},
): Promise<ResolvedGrant[]> {
  const resolved: ResolvedGrant[] = [];
  const seen = new Set<string>();
  for (const [i, g] of grants.entries()) {
    const field = `roles.${i}`;
    const municipal = g.role !== 'resident' && !REGIONAL_ROLES.includes(g.role);
    if (municipal && !g.municipalityId) throw invalid(`${field}.municipalityId`, `is required for the role ${g.role}`);
    if (!options.system && !staffPermissions.grant(ctx.principal, g)) {
      throw forbidden(`You cannot grant the role ${g.role}${g.municipalityId ? ` in municipality ${g.municipalityId}` : ''}`);
    }
    const key = `${g.role}:${g.municipalityId ?? 0}`;
    if (seen.has(key)) throw invalid(field, 'the same role is listed twice');
    seen.add(key);
    if (g.role === 'resident') {
      resolved.push({ role: g.role, region_id: null, municipality_id: null, department_id: null });
      continue;
    }
    if (REGIONAL_ROLES.includes(g.role)) {
      if (g.municipalityId || g.departmentId)
        throw invalid(field, `${g.role} is a regional role: give no municipality or department`);
      const region = await trx.selectFrom('region').select('id').orderBy('id').executeTakeFirst();
      if (!region) throw invalid(field, 'no region exists yet; run otklik create-region (or seed-demo) first');
      resolved.push({ role: g.role, region_id: region.id, municipality_id: null, department_id: null });
      continue;
    }
    const m = await trx
      .selectFrom('municipality')
      .select(['id', 'region_id'])
      .where('id', '=', g.municipalityId!)
      .executeTakeFirst();
    if (!m) throw invalid(`${field}.municipalityId`, `no municipality with id ${g.municipalityId}`);
    if (g.departmentId) {
      const d = await trx.selectFrom('department').select('municipality_id').where('id', '=', g.departmentId).executeTakeFirst();
      if (!d || d.municipality_id !== m.id) throw invalid(`${field}.departmentId`, 'is not a department of this municipality');
    }
    resolved.push({ role: g.role, region_id: m.region_id, municipality_id: m.id, department_id: g.departmentId ?? null });
  }
  return resolved;
}

/** Creates an account with the given roles and a confirmed e-mail (an administrator vouches for it). */
export async function provisionUser(db: Db, ctx: CommandContext, input: ProvisionUserInput, options: { system?: boolean } = {}) {
  if (input.roles.length === 0) throw invalid('roles', 'give at least one role');
  const email = input.email.trim();
  const account = await prepareAccount(db, { ...input, email, emailConfirmed: true });
  try {
    return await db.transaction().execute(async (trx) => {
      const grants = await resolveGrants(trx, ctx, input.roles, options);
      const user = await insertAccount(trx, ctx, account);
      await trx
        .insertInto('user_role')
        .values(grants.map((g) => ({ ...g, user_id: user.id, created_at: ctx.now })))
        .execute();
      await writeAudit(trx, ctx, {
        action: 'user.provision',
        entityType: 'user',
        entityId: user.id,
        municipalityId: grants.find((g) => g.municipality_id)?.municipality_id ?? null,
        after: { email: user.email, roles: grants },
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}
