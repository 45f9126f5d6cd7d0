import { ROLE_NAMES_RU } from '../../../shared/roles.ts';
import { isStaff, type Principal } from '../../core/auth/principal.ts';

export function presentPrincipal(p: Principal) {
  return {
    id: p.userId,
    email: p.email,
    lastName: p.lastName,
    firstName: p.firstName,
    middleName: p.middleName,
    emailConfirmed: p.emailConfirmed,
    isStaff: isStaff(p),
    roles: p.roles.map((g) => ({ ...g, roleName: ROLE_NAMES_RU[g.role] })),
  };
}
