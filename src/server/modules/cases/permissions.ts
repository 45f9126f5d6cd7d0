import type { Role } from '../../../shared/roles.ts';
import { hasRoleIn, municipalityScope, type Principal } from '../../core/auth/principal.ts';

/** Staff who work with cases and so read applicants' personal data (the commission does not). */
export const CASE_READER_ROLES: readonly Role[] = [
  'operator',
  'executor',
  'head',
  'moderator',
  'municipal_admin',
  'regional_admin',
];
/** Staff who register a phone call, a letter or a reception visit on an applicant's behalf. */
export const CASE_REGISTRAR_ROLES: readonly Role[] = ['operator', 'municipal_admin', 'regional_admin'];
export const CATEGORY_ADMIN_ROLES: readonly Role[] = ['municipal_admin', 'regional_admin'];

export const canReadCasesOf = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, CASE_READER_ROLES, municipalityId);
export const canRegisterFor = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, CASE_REGISTRAR_ROLES, municipalityId);
export const canAdminCategories = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, CATEGORY_ADMIN_ROLES, municipalityId);
/** The municipalities whose queue the principal sees ('all' for the region's administrator). */
export const caseScope = (p: Principal | undefined) => municipalityScope(p, CASE_READER_ROLES);
