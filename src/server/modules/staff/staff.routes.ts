import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLE_NAMES_RU } from '../../../shared/roles.ts';
import { auditPersonalDataRead, writeAudit } from '../../core/audit/audit.ts';
import { requireStaff } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { forbidden, notFound } from '../../core/http/errors.ts';
import { DateTime, ErrorResponse } from '../../core/http/schemas.ts';
import { Email, Password, PersonName, RoleName } from '../accounts/index.ts';
import { provisionUser } from './commands/provision-user.ts';
import { updateStaff } from './commands/update-staff.ts';
import { staffPermissions } from './staff.permissions.ts';
import { findUser, listStaff, rolesOf } from './staff.repository.ts';

const Grant = Type.Object(
  {
    role: RoleName,
    municipalityId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    departmentId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const GrantOut = Type.Object({
  role: RoleName,
  roleName: Type.String(),
  municipalityId: Type.Union([Type.Integer(), Type.Null()]),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
});
const StaffSummary = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  lastName: Type.String(),
  firstName: Type.String(),
  middleName: Type.Union([Type.String(), Type.Null()]),
  isActive: Type.Boolean(),
  roles: Type.Array(GrantOut),
});
const StaffDetail = Type.Object({
  ...StaffSummary.properties,
  phone: Type.Union([Type.String(), Type.Null()]),
  emailConfirmed: Type.Boolean(),
  createdAt: DateTime,
});
const Phone = Type.String({ minLength: 5, maxLength: 40, pattern: '^[0-9+()\\- ]+$' });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

type RoleRow = Awaited<ReturnType<typeof rolesOf>>[number];
const presentGrant = (g: RoleRow) => ({
  role: g.role,
  roleName: ROLE_NAMES_RU[g.role],
  municipalityId: g.municipality_id,
  departmentId: g.department_id,
});

export const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['staff'];

  app.get(
    '/staff',
    {
      schema: {
        tags,
        summary: 'Staff accounts of a municipality, or the regional staff when municipalityId is omitted',
        querystring: Type.Object(
          {
            municipalityId: Type.Optional(Type.Integer({ minimum: 1 })),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(StaffSummary) }), 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => {
      requireStaff(request);
      const municipalityId = request.query.municipalityId ?? null;
      if (!staffPermissions.view(request.principal, municipalityId))
        throw forbidden('You cannot see the staff of this municipality');
      const users = await listStaff(app.db, {
        municipalityId,
        query: request.query.q,
        limit: request.query.limit,
        offset: request.query.offset,
      });
      const roles = await rolesOf(
        app.db,
        users.map((u) => u.id),
      );
      if (users.length) {
        // 152-ФЗ: a list of names and e-mails is personal data too; one row records whose were shown.
        await writeAudit(app.db, contextOf(request), {
          action: 'personal_data.read',
          entityType: 'user_list',
          municipalityId,
          after: { userIds: users.map((u) => u.id), fields: ['email', 'name'] },
        });
      }
      return {
        items: users.map((u) => ({
          id: u.id,
          email: u.email,
          lastName: u.last_name,
          firstName: u.first_name,
          middleName: u.middle_name,
          isActive: u.is_active,
          roles: roles.filter((r) => r.user_id === u.id && r.role !== 'resident').map(presentGrant),
        })),
      };
    },
  );

  app.get(
    '/staff/:id',
    {
      schema: {
        tags,
        summary: 'One staff account with contact details (the read is written to the audit log, 152-ФЗ)',
        params: IdParams,
        response: { 200: StaffDetail, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      requireStaff(request);
      const user = await findUser(app.db, request.params.id);
      const roles = user ? await rolesOf(app.db, [user.id]) : [];
      const scopes = roles.filter((g) => g.role !== 'resident').map((g) => g.municipality_id);
      if (!user || !scopes.some((m) => staffPermissions.view(request.principal, m))) throw notFound('Staff member');
      await auditPersonalDataRead(app.db, contextOf(request), {
        userId: user.id,
        municipalityId: scopes.find((m) => m !== null) ?? null,
        fields: ['email', 'name', 'phone'],
      });
      return {
        id: user.id,
        email: user.email,
        lastName: user.last_name,
        firstName: user.first_name,
        middleName: user.middle_name,
        phone: user.phone,
        isActive: user.is_active,
        emailConfirmed: user.email_confirmed_at !== null,
        createdAt: user.created_at.toISOString(),
        roles: roles.filter((r) => r.role !== 'resident').map(presentGrant),
      };
    },
  );

  app.post(
    '/staff',
    {
      schema: {
        tags,
        summary: 'Create a staff account with an initial password and roles',
        body: Type.Object(
          {
            email: Email,
            password: Password,
            lastName: PersonName,
            firstName: PersonName,
            middleName: Type.Optional(PersonName),
            phone: Type.Optional(Phone),
            roles: Type.Array(Grant, { minItems: 1, maxItems: 10 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Type.Integer(), email: Type.String() }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      requireStaff(request);
      const user = await provisionUser(app.db, contextOf(request), request.body);
      return reply.status(201).send(user);
    },
  );

  app.patch(
    '/staff/:id',
    {
      schema: {
        tags,
        summary: 'Change names, block/unblock, or replace the roles you manage',
        params: IdParams,
        body: Type.Object(
          {
            lastName: Type.Optional(PersonName),
            firstName: Type.Optional(PersonName),
            middleName: Type.Optional(Type.Union([PersonName, Type.Null()])),
            phone: Type.Optional(Type.Union([Phone, Type.Null()])),
            isActive: Type.Optional(Type.Boolean()),
            roles: Type.Optional(Type.Array(Grant, { maxItems: 10 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: {
          200: Type.Object({ id: Type.Integer(), isActive: Type.Boolean(), roles: Type.Array(GrantOut) }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) => {
      requireStaff(request);
      const after = await updateStaff(app.db, contextOf(request), request.params.id, request.body);
      return {
        id: request.params.id,
        isActive: after.user?.is_active ?? false,
        roles: after.roles.filter((r) => r.role !== 'resident').map(presentGrant),
      };
    },
  );
};
