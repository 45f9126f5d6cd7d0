import type { Role } from '../../../shared/roles.ts';
import { hasRoleIn, municipalityScope, type Principal } from '../../core/auth/principal.ts';

/**
 * Who manages monitoring sources: a municipality's administrators its own sources; the region's administrators every
 * source, and alone the regional ones (no municipality).
 */
export const SOURCE_ADMIN_ROLES: readonly Role[] = ['municipal_admin', 'regional_admin'];

export function canManageSource(p: Principal | undefined, municipalityId: number | null): boolean {
  return municipalityId === null ? hasRoleIn(p, ['regional_admin']) : hasRoleIn(p, SOURCE_ADMIN_ROLES, municipalityId);
}

/** The municipalities whose sources the principal manages ('all' for a regional administrator). */
export const sourceScope = (p: Principal | undefined): 'all' | number[] => municipalityScope(p, SOURCE_ADMIN_ROLES);
