import type { Role } from '../../../shared/roles.ts';
import { hasRoleIn, type Principal } from '../../core/auth/principal.ts';

/** Who loads boundaries and sets district routes: the municipality's administrators (and the region's). */
export const PLACE_ADMIN_ROLES: readonly Role[] = ['municipal_admin', 'regional_admin'];
/** Who reads the district routes: the municipality's staff who work with cases. */
export const PLACE_ROUTE_READER_ROLES: readonly Role[] = [
  'operator',
  'executor',
  'head',
  'moderator',
  'municipal_admin',
  'regional_admin',
];

export const canAdminPlaces = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, PLACE_ADMIN_ROLES, municipalityId);
export const canReadPlaceRoutes = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, PLACE_ROUTE_READER_ROLES, municipalityId);
