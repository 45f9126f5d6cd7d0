import { STAFF_ROLES } from '../../../shared/roles.ts';
import type { Principal } from '../../core/auth/principal.ts';
import { hasRoleIn } from '../../core/auth/principal.ts';

/** Who may do what with municipalities and departments. The routes ask here and nowhere else. */
export const tenancyPermissions = {
  /** Any staff member of the municipality (and regional roles) sees its departments. */
  viewDepartments: (p: Principal | undefined, municipalityId: number) => hasRoleIn(p, STAFF_ROLES, municipalityId),
  manageDepartments: (p: Principal | undefined, municipalityId: number) =>
    hasRoleIn(p, ['municipal_admin', 'regional_admin'], municipalityId),
  editMunicipality: (p: Principal | undefined, municipalityId: number) =>
    hasRoleIn(p, ['municipal_admin', 'regional_admin'], municipalityId),
  createMunicipality: (p: Principal | undefined) => hasRoleIn(p, ['regional_admin']),
};
