import { ROLE_NAMES_RU } from '../../../shared/roles.ts';
import { isStaff, type Principal } from '../../core/auth/principal.ts';
import type { Db } from '../../core/db/index.ts';

/** The signed-in user with every grant named (region, municipality, department), so clients need no lookups. */
export async function presentPrincipal(db: Db, p: Principal) {
  const ids = (key: 'regionId' | 'municipalityId' | 'departmentId') => [
    ...new Set(p.roles.map((g) => g[key]).filter((v): v is number => v !== null)),
  ];
  const [regions, municipalities, departments] = await Promise.all([
    ids('regionId').length ? db.selectFrom('region').select(['id', 'name']).where('id', 'in', ids('regionId')).execute() : [],
    ids('municipalityId').length
      ? db.selectFrom('municipality').select(['id', 'name']).where('id', 'in', ids('municipalityId')).execute()
      : [],
    ids('departmentId').length
      ? db.selectFrom('department').select(['id', 'name']).where('id', 'in', ids('departmentId')).execute()
      : [],
  ]);
  const name = (rows: Array<{ id: number; name: string }>, id: number | null) => rows.find((r) => r.id === id)?.name ?? null;
  return {
    id: p.userId,
    email: p.email,
    lastName: p.lastName,
    firstName: p.firstName,
    middleName: p.middleName,
    emailConfirmed: p.emailConfirmed,
    isStaff: isStaff(p),
    roles: p.roles.map((g) => ({
      ...g,
      roleName: ROLE_NAMES_RU[g.role],
      regionName: name(regions, g.regionId),
      municipalityName: name(municipalities, g.municipalityId),
      departmentName: name(departments, g.departmentId),
    })),
  };
}
