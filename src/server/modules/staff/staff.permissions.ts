import { MUNICIPAL_STAFF_ROLES, REGIONAL_ROLES, type Role } from '../../../shared/roles.ts';
import type { Principal } from '../../core/auth/principal.ts';
import { hasRoleIn } from '../../core/auth/principal.ts';

export interface GrantRequest {
  role: Role;
  municipalityId?: number | null | undefined;
  departmentId?: number | null | undefined;
}

/** Who may see and manage staff accounts. The staff routes and commands ask here and nowhere else. */
export const staffPermissions = {
  /** The staff list of a municipality (`null`: the regional staff). Heads see their colleagues too. */
  view: (p: Principal | undefined, municipalityId: number | null) =>
    municipalityId === null
      ? hasRoleIn(p, ['regional_admin'])
      : hasRoleIn(p, ['municipal_admin', 'head', 'regional_admin'], municipalityId),
  manage: (p: Principal | undefined, municipalityId: number | null) =>
    municipalityId === null
      ? hasRoleIn(p, ['regional_admin'])
      : hasRoleIn(p, ['municipal_admin', 'regional_admin'], municipalityId),
  /**
   * A municipal administrator grants municipal roles within their municipality; a regional administrator
   * grants anything. Nobody grants `resident` through the staff API: residents register themselves.
   */
  grant: (p: Principal | undefined, g: GrantRequest) => {
    if (g.role === 'resident') return false;
    if (REGIONAL_ROLES.includes(g.role)) return hasRoleIn(p, ['regional_admin']);
    if (!MUNICIPAL_STAFF_ROLES.includes(g.role) || !g.municipalityId) return false;
    return hasRoleIn(p, ['municipal_admin', 'regional_admin'], g.municipalityId);
  },
};
