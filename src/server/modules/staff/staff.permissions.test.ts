import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Role } from '../../../shared/roles.ts';
import type { Principal, RoleGrant } from '../../core/auth/principal.ts';
import { type GrantRequest, staffPermissions } from './staff.permissions.ts';

const p = (role: Role, municipalityId: number | null = null): Principal => ({
  userId: 1,
  sessionId: 's',
  email: 'a@b.ru',
  lastName: 'А',
  firstName: 'Б',
  middleName: null,
  emailConfirmed: true,
  roles: [{ role, municipalityId, regionId: 1, departmentId: null } satisfies RoleGrant],
});

describe('staff permissions: who may grant which role', () => {
  const cases: Array<[string, Principal, GrantRequest, boolean]> = [
    ['municipal admin: operator in own', p('municipal_admin', 1), { role: 'operator', municipalityId: 1 }, true],
    ['municipal admin: municipal_admin in own', p('municipal_admin', 1), { role: 'municipal_admin', municipalityId: 1 }, true],
    ['municipal admin: operator in another', p('municipal_admin', 1), { role: 'operator', municipalityId: 2 }, false],
    ['municipal admin: regional_admin', p('municipal_admin', 1), { role: 'regional_admin' }, false],
    ['municipal admin: commission_member', p('municipal_admin', 1), { role: 'commission_member' }, false],
    ['municipal admin: resident', p('municipal_admin', 1), { role: 'resident' }, false],
    ['regional admin: operator anywhere', p('regional_admin'), { role: 'operator', municipalityId: 9 }, true],
    ['regional admin: commission_member', p('regional_admin'), { role: 'commission_member' }, true],
    ['regional admin: municipal role without municipality', p('regional_admin'), { role: 'head' }, false],
    ['head: executor in own', p('head', 1), { role: 'executor', municipalityId: 1 }, false],
    ['operator: anything', p('operator', 1), { role: 'operator', municipalityId: 1 }, false],
  ];
  for (const [name, who, g, expected] of cases) {
    test(`${name} → ${expected}`, () => assert.equal(staffPermissions.grant(who, g), expected));
  }

  const views: Array<[string, Principal, number | null, boolean, boolean]> = [
    ['head sees own staff but cannot manage', p('head', 1), 1, true, false],
    ['municipal admin sees and manages own', p('municipal_admin', 1), 1, true, true],
    ['municipal admin, other municipality', p('municipal_admin', 1), 2, false, false],
    ['municipal admin, regional staff', p('municipal_admin', 1), null, false, false],
    ['regional admin, regional staff', p('regional_admin'), null, true, true],
    ['operator, own municipality', p('operator', 1), 1, false, false],
  ];
  for (const [name, who, m, view, manage] of views) {
    test(`view/manage: ${name}`, () => {
      assert.equal(staffPermissions.view(who, m), view);
      assert.equal(staffPermissions.manage(who, m), manage);
    });
  }
});
