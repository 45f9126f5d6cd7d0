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
/** Staff who accept a social-media post as an incident (issue 6): moderators, heads and administrators. */
export const CASE_MODERATOR_ROLES: readonly Role[] = ['moderator', 'head', 'municipal_admin', 'regional_admin'];

export const canReadCasesOf = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, CASE_READER_ROLES, municipalityId);
export const canRegisterFor = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, CASE_REGISTRAR_ROLES, municipalityId);
export const canModerateFor = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, CASE_MODERATOR_ROLES, municipalityId);
export const canAdminCategories = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, CATEGORY_ADMIN_ROLES, municipalityId);
/** The municipalities whose queue the principal sees ('all' for the region's administrator). */
export const caseScope = (p: Principal | undefined) => municipalityScope(p, CASE_READER_ROLES);

// Workflow (issue 4). A case outside the caller's municipality is 404 (canReadCasesOf); these decide 403.
/** Who sends a case to a department and an executor: the municipality's heads and operators. */
export const CASE_ASSIGNER_ROLES: readonly Role[] = ['head', 'operator'];
/** Who approves or returns a draft answer, and extends or redirects: the municipality's heads. */
export const CASE_HEAD_ROLES: readonly Role[] = ['head'];

export const canAssignCase = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, CASE_ASSIGNER_ROLES, municipalityId);
export const canHeadCase = (p: Principal | undefined, municipalityId: number) => hasRoleIn(p, CASE_HEAD_ROLES, municipalityId);
/** The executor the case is assigned to works on it (starts, drafts the answer). */
export const isCaseExecutor = (p: Principal | undefined, c: { municipality_id: number; executor_user_id: number | null }) =>
  !!p && c.executor_user_id === p.userId && hasRoleIn(p, ['executor', 'head'], c.municipality_id);
/** The applicant who submitted the case while signed in (rates the answer, asks to reopen). */
export const isCaseApplicant = (p: Principal | undefined, c: { applicant_user_id: number | null }) =>
  !!p && c.applicant_user_id === p.userId;

// Answer templates and routing (issue 4). Staff of the municipality read them (canReadCasesOf).
/** Who writes answer templates: the municipality's heads and administrators. */
export const TEMPLATE_EDITOR_ROLES: readonly Role[] = ['head', 'municipal_admin', 'regional_admin'];
export const canEditTemplates = (p: Principal | undefined, municipalityId: number) =>
  hasRoleIn(p, TEMPLATE_EDITOR_ROLES, municipalityId);
/** Routing (category → department) is the categories' administration. */
export const canEditRouting = canAdminCategories;
