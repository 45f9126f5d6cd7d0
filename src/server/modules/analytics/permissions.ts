import { REGIONAL_ROLES, type Role } from '../../../shared/roles.ts';
import { hasRoleIn, type Principal } from '../../core/auth/principal.ts';

// Who sees the figures. The figures carry no personal data (the drill-down lists case numbers, statuses and dates;
// the overdue list names the department and the executor), so the region's commission may read them too.

/** A municipality's dashboards, drill-down and heat map: its heads and administrators, and the regional roles. */
export const MUNICIPAL_ANALYTICS_ROLES: readonly Role[] = ['head', 'municipal_admin', ...REGIONAL_ROLES];

export const canViewMunicipality = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, MUNICIPAL_ANALYTICS_ROLES, municipalityId);

/** The region's side-by-side view: the regional roles. */
export const canViewRegion = (p: Principal | undefined) => !!p && p.roles.some((g) => REGIONAL_ROLES.includes(g.role));

/** Holds any role in the municipality (or a regional one): may learn that its departments exist. */
export const worksIn = (p: Principal | undefined, municipalityId: number) =>
  !!p && p.roles.some((g) => REGIONAL_ROLES.includes(g.role) || g.municipalityId === municipalityId);

/**
 * A department's executors: its head (a head's grant for that department, or for the whole municipality), the
 * municipality's administrators, the region's administrators.
 */
export function canViewDepartment(p: Principal | undefined, d: { id: number; municipality_id: number }): boolean {
  if (!p) return false;
  return p.roles.some(
    (g) =>
      g.role === 'regional_admin' ||
      (g.role === 'municipal_admin' && g.municipalityId === d.municipality_id) ||
      (g.role === 'head' && g.municipalityId === d.municipality_id && (g.departmentId === null || g.departmentId === d.id)),
  );
}
