import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Role } from '../../../shared/roles.ts';
import { hasRoleIn, isStaff, municipalityScope, type Principal, type RoleGrant } from './principal.ts';

const grant = (role: Role, municipalityId: number | null = null): RoleGrant => ({
  role,
  municipalityId,
  regionId: 1,
  departmentId: null,
});
const principal = (...roles: RoleGrant[]): Principal => ({
  userId: 1,
  sessionId: 's',
  email: 'x@y.ru',
  lastName: 'Л',
  firstName: 'Ф',
  middleName: null,
  emailConfirmed: true,
  roles,
});

describe('principal role checks', () => {
  // [who, roles asked, municipality, expected]
  const cases: Array<[string, Principal | undefined, Role[], number | undefined, boolean]> = [
    ['nobody', undefined, ['operator'], 1, false],
    ['operator of 1 asked in 1', principal(grant('operator', 1)), ['operator'], 1, true],
    ['operator of 1 asked in 2', principal(grant('operator', 1)), ['operator'], 2, false],
    ['operator of 1 asked anywhere', principal(grant('operator', 1)), ['operator'], undefined, true],
    ['operator of 1 asked for head', principal(grant('operator', 1)), ['head'], 1, false],
    [
      'regional admin covers every municipality',
      principal(grant('regional_admin')),
      ['regional_admin', 'municipal_admin'],
      7,
      true,
    ],
    ['commission member is not an admin', principal(grant('commission_member')), ['municipal_admin'], 1, false],
    ['two grants, second matches', principal(grant('executor', 2), grant('head', 1)), ['head'], 1, true],
    ['resident', principal(grant('resident')), ['operator', 'executor', 'head'], 1, false],
  ];
  for (const [name, p, roles, m, expected] of cases) {
    test(`hasRoleIn: ${name} → ${expected}`, () => assert.equal(hasRoleIn(p, roles, m), expected));
  }

  const scopes: Array<[string, Principal | undefined, 'all' | number[]]> = [
    ['anonymous', undefined, []],
    ['resident', principal(grant('resident')), []],
    ['operator of 3 and head of 5', principal(grant('operator', 3), grant('head', 5)), [3, 5]],
    ['two roles in one municipality', principal(grant('operator', 3), grant('executor', 3)), [3]],
    ['regional admin', principal(grant('regional_admin'), grant('operator', 3)), 'all'],
  ];
  for (const [name, p, expected] of scopes) {
    test(`municipalityScope: ${name}`, () => assert.deepEqual(municipalityScope(p), expected));
  }

  test('isStaff: residents are not staff, every other role is', () => {
    assert.equal(isStaff(principal(grant('resident'))), false);
    assert.equal(isStaff(undefined), false);
    for (const role of ['operator', 'executor', 'head', 'moderator', 'municipal_admin'] as const) {
      assert.equal(isStaff(principal(grant(role, 1))), true, role);
    }
    assert.equal(isStaff(principal(grant('commission_member'))), true);
  });
});
