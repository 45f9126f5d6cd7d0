import type { Role } from '../../../shared/roles.ts';
import { hasRoleIn, municipalityScope, type Principal } from '../../core/auth/principal.ts';

/**
 * Who works with monitoring queries, the moderation stream and replies: a municipality's moderators (модератор:
 * social media), heads and administrators for their municipality; the region's administrators everywhere, and alone
 * for what belongs to the region (regional queries; dismissing a post of the regional queue).
 */
export const MONITORING_STAFF_ROLES: readonly Role[] = ['moderator', 'head', 'municipal_admin', 'regional_admin'];

/** The municipalities whose queries and posts the principal works with ('all' for a regional administrator). */
export const monitoringScope = (p: Principal | undefined): 'all' | number[] => municipalityScope(p, MONITORING_STAFF_ROLES);

/** Works on what belongs to this municipality; null (the region's) needs a regional administrator. */
export function canModerate(p: Principal | undefined, municipalityId: number | null): boolean {
  return municipalityId === null ? hasRoleIn(p, ['regional_admin']) : hasRoleIn(p, MONITORING_STAFF_ROLES, municipalityId);
}

/** Reads it: its own municipality's, or the region's (regional queries and the regional queue are public posts). */
export function canReadMonitoring(p: Principal | undefined, municipalityId: number | null): boolean {
  const scope = monitoringScope(p);
  if (scope === 'all') return true;
  if (scope.length === 0) return false;
  return municipalityId === null || scope.includes(municipalityId);
}
