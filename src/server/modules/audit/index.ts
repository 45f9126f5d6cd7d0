import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireRole } from '../../core/auth/auth-plugin.ts';
import { municipalityScope } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/http/errors.ts';
import { DateTime, ErrorResponse } from '../../core/http/schemas.ts';

const AuditRow = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  actorUserId: Type.Union([Type.Integer(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  municipalityId: Type.Union([Type.Integer(), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
});

/** The audit log, read-only: administrators browse and filter it; a municipal admin sees their municipality. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Browse the audit log, newest first (keyset pagination with `before`)',
        querystring: Type.Object(
          {
            municipalityId: Type.Optional(Type.Integer({ minimum: 1 })),
            actorUserId: Type.Optional(Type.Integer({ minimum: 1 })),
            action: Type.Optional(
              Type.String({ maxLength: 100, description: 'exact action, or a prefix ending with «.» (e.g. auth.)' }),
            ),
            entityType: Type.Optional(Type.String({ maxLength: 50 })),
            entityId: Type.Optional(Type.String({ maxLength: 100 })),
            from: Type.Optional(DateTime),
            to: Type.Optional(DateTime),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'return rows with id below this' })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(AuditRow), nextBefore: Type.Union([Type.Integer(), Type.Null()]) }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (request) => {
      const p = requireRole(request, ['municipal_admin', 'regional_admin']);
      const scope = municipalityScope(p, ['municipal_admin', 'regional_admin']);
      const f = request.query;
      if (f.municipalityId && scope !== 'all' && !scope.includes(f.municipalityId)) {
        throw forbidden('You can browse the audit log of your own municipality only');
      }
      let q = app.db
        .selectFrom('audit_log')
        .leftJoin('app_user', 'app_user.id', 'audit_log.actor_user_id')
        .select([
          'audit_log.id',
          'audit_log.at',
          'audit_log.actor_user_id',
          'audit_log.municipality_id',
          'audit_log.action',
          'audit_log.entity_type',
          'audit_log.entity_id',
          'audit_log.before',
          'audit_log.after',
          'audit_log.request_id',
          'audit_log.ip',
          'app_user.last_name',
          'app_user.first_name',
        ])
        .orderBy('audit_log.id', 'desc')
        .limit(f.limit);
      if (scope !== 'all') q = q.where('audit_log.municipality_id', 'in', scope.length ? scope : [-1]);
      if (f.municipalityId) q = q.where('audit_log.municipality_id', '=', f.municipalityId);
      if (f.actorUserId) q = q.where('audit_log.actor_user_id', '=', f.actorUserId);
      if (f.action)
        q = f.action.endsWith('.')
          ? q.where('audit_log.action', 'like', `${f.action}%`)
          : q.where('audit_log.action', '=', f.action);
      if (f.entityType) q = q.where('audit_log.entity_type', '=', f.entityType);
      if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
      if (f.from) q = q.where('audit_log.at', '>=', new Date(f.from));
      if (f.to) q = q.where('audit_log.at', '<', new Date(f.to));
      if (f.before) q = q.where('audit_log.id', '<', f.before);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorUserId: r.actor_user_id,
          actorName: r.last_name ? `${r.last_name} ${r.first_name}` : null,
          municipalityId: r.municipality_id,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          requestId: r.request_id,
          ip: r.ip,
        })),
        nextBefore: rows.length === f.limit ? (rows[rows.length - 1]?.id ?? null) : null,
      };
    },
  );
};
