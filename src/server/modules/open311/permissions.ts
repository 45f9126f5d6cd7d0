import type { Role } from '../../../shared/roles.ts';
import { hasRoleIn, type Principal } from '../../core/auth/principal.ts';

/** Who issues and revokes a municipality's Open311 API keys: its administrators (the region's cover all). */
export const API_KEY_ADMIN_ROLES: readonly Role[] = ['municipal_admin', 'regional_admin'];
export const canManageApiKeys = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, API_KEY_ADMIN_ROLES, municipalityId);
