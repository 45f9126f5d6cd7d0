import type { Role } from '../../../shared/roles.ts';
import { REGIONAL_ROLES, STAFF_ROLES } from '../../../shared/roles.ts';
import type { Db } from '../db/index.ts';

export interface RoleGrant {
  role: Role;
  regionId: number | null;
  municipalityId: number | null;
  departmentId: number | null;
}

/** Who is making the request: the signed-in user with every role grant, loaded once per request. */
export interface Principal {
  userId: number;
  sessionId: string;
  email: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  emailConfirmed: boolean;
  roles: RoleGrant[];
}

export async function loadRoles(db: Db, userId: number): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('user_role')
    .select(['role', 'region_id', 'municipality_id', 'department_id'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    role: r.role,
    regionId: r.region_id,
    municipalityId: r.municipality_id,
    departmentId: r.department_id,
  }));
}

export const isStaff = (p: Principal | undefined): boolean => !!p && p.roles.some((g) => STAFF_ROLES.includes(g.role));

/** Does the principal hold one of `roles` with a scope that covers `municipalityId` (regional roles cover all)? */
export function hasRoleIn(p: Principal | undefined, roles: readonly Role[], municipalityId?: number): boolean {
  if (!p) return false;
  return p.roles.some(
    (g) =>
      roles.includes(g.role) &&
      (REGIONAL_ROLES.includes(g.role) || municipalityId === undefined || g.municipalityId === municipalityId),
  );
}

/**
 * The municipalities the principal may see as staff, for filtering lists: 'all' for a regional role,
 * otherwise the ids from the principal's municipal grants among `roles`.
 */
export function municipalityScope(p: Principal | undefined, roles: readonly Role[] = STAFF_ROLES): 'all' | number[] {
  if (!p) return [];
  if (p.roles.some((g) => roles.includes(g.role) && REGIONAL_ROLES.includes(g.role))) return 'all';
  const ids = new Set<number>();
  for (const g of p.roles) if (roles.includes(g.role) && g.municipalityId !== null) ids.add(g.municipalityId);
  return [...ids];
}
