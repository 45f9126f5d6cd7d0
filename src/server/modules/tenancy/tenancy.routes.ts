import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff, requireUser } from '../../core/auth/auth-plugin.ts';
import { municipalityScope } from '../../core/auth/principal.ts';
import { contextOf } from '../../core/context.ts';
import { forbidden, notFound } from '../../core/http/errors.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { createDepartment } from './commands/create-department.ts';
import { createMunicipality, updateMunicipality } from './commands/save-municipality.ts';
import { updateDepartment } from './commands/update-department.ts';
import { tenancyPermissions } from './permissions.ts';
import { presentBoundary, presentDepartment, presentMunicipality } from './tenancy.presenters.ts';
import {
  findMunicipality,
  listDepartments,
  listMunicipalities,
  type MunicipalityRow,
  municipalBoundaryParts,
} from './tenancy.repository.ts';
import {
  BoundaryFeature,
  CreateDepartmentBody,
  CreateMunicipalityBody,
  Department,
  IdParams,
  Municipality,
  UpdateDepartmentBody,
  UpdateMunicipalityBody,
} from './tenancy.schemas.ts';

export const tenancyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['tenancy'];
  // Whether a municipality has its own boundary comes from the places module's area index (app.places, in memory:
  // the same answer the intake uses to require a case's point inside it).
  const present = async (m: MunicipalityRow) => presentMunicipality(m, await app.places.hasBoundary(m.id));
  const presentAll = (rows: MunicipalityRow[]) => Promise.all(rows.map(present));

  app.get(
    '/municipalities',
    {
      schema: {
        tags,
        summary: 'Municipalities a resident can choose from (active ones), with type and time zone',
        response: { 200: Type.Object({ items: Type.Array(Municipality) }) },
      },
    },
    async () => ({ items: await presentAll(await listMunicipalities(app.db, { activeOnly: true })) }),
  );

  app.get(
    '/municipalities/:id',
    { schema: { tags, params: IdParams, response: { 200: Municipality, 404: ErrorResponse } } },
    async (request) => {
      const m = await findMunicipality(app.db, request.params.id);
      if (!m || (!m.is_active && !tenancyPermissions.editMunicipality(request.principal, m.id))) throw notFound('Municipality');
      return present(m);
    },
  );

  app.get(
    '/municipalities/:id/boundary',
    {
      schema: {
        tags,
        summary: 'The municipality’s own boundary as a GeoJSON Feature (public; its places of kind municipality)',
        params: IdParams,
        response: { 200: BoundaryFeature, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const m = await findMunicipality(app.db, request.params.id);
      if (!m) throw notFound('Municipality');
      const parts = await municipalBoundaryParts(app.db, m.id);
      if (parts.length === 0) throw notFound('Boundary');
      reply.type('application/geo+json');
      return presentBoundary(m, parts);
    },
  );

  app.get(
    '/admin/municipalities',
    {
      schema: {
        tags,
        summary: 'Municipalities in the staff member’s scope (a regional role sees all, inactive included)',
        response: { 200: Type.Object({ items: Type.Array(Municipality) }), 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => {
      const p = requireStaff(request);
      return { items: await presentAll(await listMunicipalities(app.db, { ids: municipalityScope(p) })) };
    },
  );

  app.post(
    '/municipalities',
    {
      schema: {
        tags,
        summary: 'Add a municipality (regional administrator)',
        body: CreateMunicipalityBody,
        response: { 201: Municipality, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const p = requireUser(request);
      const regionId = p.roles.find((g) => g.role === 'regional_admin')?.regionId;
      if (!regionId) throw forbidden('Only a regional administrator can add municipalities');
      const m = await createMunicipality(app.db, contextOf(request), { ...request.body, regionId });
      return reply.status(201).send(await present(m));
    },
  );

  app.patch(
    '/municipalities/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: UpdateMunicipalityBody,
        response: {
          200: Municipality,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request) => {
      requireStaff(request);
      return present(await updateMunicipality(app.db, contextOf(request), request.params.id, request.body));
    },
  );

  app.get(
    '/municipalities/:id/departments',
    {
      schema: {
        tags,
        summary: 'Departments of a municipality (its staff and regional roles)',
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(Department) }),
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) => {
      requireStaff(request);
      if (!tenancyPermissions.viewDepartments(request.principal, request.params.id)) {
        throw forbidden('These departments belong to another municipality');
      }
      if (!(await findMunicipality(app.db, request.params.id))) throw notFound('Municipality');
      return { items: (await listDepartments(app.db, request.params.id)).map(presentDepartment) };
    },
  );

  app.post(
    '/municipalities/:id/departments',
    {
      schema: {
        tags,
        params: IdParams,
        body: CreateDepartmentBody,
        response: {
          201: Department,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      requireStaff(request);
      const d = await createDepartment(app.db, contextOf(request), { municipalityId: request.params.id, ...request.body });
      return reply.status(201).send(presentDepartment(d));
    },
  );

  app.patch(
    '/departments/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: UpdateDepartmentBody,
        response: {
          200: Department,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request) => {
      requireStaff(request);
      return presentDepartment(await updateDepartment(app.db, contextOf(request), request.params.id, request.body));
    },
  );
};
