import { REGIONAL_ROLES } from '../../../shared/roles.ts';
import type { Me, RoleGrant } from '../accounts/accounts.api.ts';

/**
 * Where a grant applies, as the server names it: the region for a regional role («Кемеровская область – Кузбасс»),
 * otherwise the municipality and, for staff of one department, the department.
 */
export function grantScope(grant: RoleGrant): string {
  if (REGIONAL_ROLES.includes(grant.role) || grant.municipalityId === null) {
    return grant.regionName ?? 'все муниципалитеты региона';
  }
  return [grant.municipalityName ?? `муниципалитет № ${grant.municipalityId}`, grant.departmentName].filter(Boolean).join(' · ');
}

/**
 * One line for the workspace header: the region for a regional administrator or commission member, else the
 * municipality (or municipalities) the person works for.
 */
export function workspaceScope(me: Me): string | null {
  const staff = me.roles.filter((g) => g.role !== 'resident');
  const regional = staff.find((g) => REGIONAL_ROLES.includes(g.role));
  if (regional) return regional.regionName;
  const names = [...new Set(staff.map((g) => g.municipalityName).filter((n): n is string => !!n))];
  return names.length ? names.join(', ') : null;
}
