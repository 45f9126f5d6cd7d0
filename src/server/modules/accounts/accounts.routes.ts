import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERSONAL_DATA_CONSENT } from '../../../shared/consent.ts';
import { writeAudit } from '../../core/audit/audit.ts';
import { clearSessionCookie, csrfTokenFor, requireUser, setSessionCookie } from '../../core/auth/auth-plugin.ts';
import { resolveSession, revokeSession } from '../../core/auth/sessions.ts';
import { contextOf } from '../../core/context.ts';
import { DateTime, ErrorResponse } from '../../core/http/schemas.ts';
import { presentPrincipal } from './accounts.presenters.ts';
import {
  ConsentVersion,
  LoginBody,
  RegisterBody,
  ResetBody,
  ResetRequestBody,
  Session,
  TokenBody,
  User,
} from './accounts.schemas.ts';
import { giveConsent, listConsents, withdrawConsent } from './commands/consents.ts';
import { confirmEmail, requestPasswordReset, resendEmailConfirmation, resetPassword } from './commands/email-tokens.ts';
import { login } from './commands/login.ts';
import { registerResident } from './commands/register-resident.ts';

export const accountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['auth'];
  const noCsrf = { csrf: false };
  const mailDeps = { publicUrl: app.config.publicUrl };

  app.post(
    '/auth/register',
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Resident self-registration; a confirmation link is e-mailed',
        body: RegisterBody,
        response: {
          201: Type.Object({ user: Type.Object({ id: Type.Integer(), email: Type.String() }) }),
          400: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const user = await registerResident(app.db, contextOf(request), mailDeps, {
        ...request.body,
        userAgent: request.headers['user-agent'],
      });
      return reply.status(201).send({ user });
    },
  );

  app.post(
    '/auth/confirm-email',
    {
      config: noCsrf,
      schema: { tags, body: TokenBody, response: { 200: Type.Object({ ok: Type.Boolean() }), 410: ErrorResponse } },
    },
    async (request) => {
      await confirmEmail(app.db, contextOf(request), request.body.token);
      return { ok: true };
    },
  );

  app.post(
    '/auth/login',
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Sign in: sets the session cookie and returns the CSRF token for later writes',
        body: LoginBody,
        response: { 200: Session, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await login(app.db, contextOf(request), {
        ...request.body,
        userAgent: request.headers['user-agent'],
      });
      const principal = (await resolveSession(app.db, result.session.token, app.clock.now()))!;
      setSessionCookie(app, reply, result.session.token, result.session.expiresAt);
      return {
        user: await presentPrincipal(app.db, principal),
        csrfToken: csrfTokenFor(app.config.sessionSecret, result.session.sessionId),
      };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags, response: { 204: Type.Null(), 401: ErrorResponse, 403: ErrorResponse } } },
    async (request, reply) => {
      const p = requireUser(request);
      const ctx = contextOf(request);
      await app.db.transaction().execute(async (trx) => {
        await revokeSession(trx, p.sessionId, ctx.now);
        await writeAudit(trx, ctx, { action: 'auth.logout', entityType: 'user', entityId: p.userId });
      });
      clearSessionCookie(app, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/password-reset/request',
    {
      config: noCsrf,
      schema: {
        tags,
        summary: 'Send a reset link if the address has an account (the answer is the same either way)',
        body: ResetRequestBody,
        response: { 202: Type.Object({ ok: Type.Boolean() }), 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(app.db, contextOf(request), mailDeps, request.body.email);
      return reply.status(202).send({ ok: true });
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      config: noCsrf,
      schema: {
        tags,
        body: ResetBody,
        response: { 200: Type.Object({ ok: Type.Boolean() }), 400: ErrorResponse, 410: ErrorResponse },
      },
    },
    async (request) => {
      await resetPassword(app.db, contextOf(request), request.body.token, request.body.password);
      return { ok: true };
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags,
        summary: 'The signed-in user, their roles, and the CSRF token for writes',
        response: { 200: Type.Object({ user: User, csrfToken: Type.String() }), 401: ErrorResponse },
      },
    },
    async (request) => {
      const p = requireUser(request);
      return { user: await presentPrincipal(app.db, p), csrfToken: csrfTokenFor(app.config.sessionSecret, p.sessionId) };
    },
  );

  app.get(
    '/session',
    {
      schema: {
        tags,
        summary: 'Like /me, but answers 200 with user null when nobody is signed in (for pages open to everyone)',
        response: {
          200: Type.Object({ user: Type.Union([User, Type.Null()]), csrfToken: Type.Union([Type.String(), Type.Null()]) }),
        },
      },
    },
    async (request) => {
      const p = request.principal;
      if (!p) return { user: null, csrfToken: null };
      return { user: await presentPrincipal(app.db, p), csrfToken: csrfTokenFor(app.config.sessionSecret, p.sessionId) };
    },
  );

  app.post(
    '/auth/confirm-email/resend',
    {
      schema: {
        tags,
        summary: 'Send a new confirmation link to the signed-in user (at most one a minute)',
        response: {
          202: Type.Object({ alreadyConfirmed: Type.Boolean() }),
          401: ErrorResponse,
          403: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const p = requireUser(request);
      return reply.status(202).send(await resendEmailConfirmation(app.db, contextOf(request), mailDeps, p.userId));
    },
  );

  app.get(
    '/legal/personal-data-consent',
    {
      schema: {
        tags: ['legal'],
        summary: 'The current text of the consent to personal-data processing, with its version',
        response: {
          200: Type.Object({
            kind: Type.String(),
            version: Type.String(),
            title: Type.String(),
            text: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return { ...PERSONAL_DATA_CONSENT, text: [...PERSONAL_DATA_CONSENT.text] };
    },
  );

  const ConsentRecord = Type.Object({
    kind: Type.String(),
    version: Type.String(),
    acceptedAt: DateTime,
    withdrawnAt: Type.Union([DateTime, Type.Null()]),
  });
  const presentConsents = async (userId: number) =>
    (await listConsents(app.db, userId)).map((c) => ({
      kind: c.kind,
      version: c.version,
      acceptedAt: c.accepted_at.toISOString(),
      withdrawnAt: c.withdrawn_at?.toISOString() ?? null,
    }));

  app.get(
    '/me/consents',
    {
      schema: {
        tags,
        summary: 'The consents the user gave and withdrew',
        response: { 200: Type.Object({ items: Type.Array(ConsentRecord) }), 401: ErrorResponse },
      },
    },
    async (request) => ({ items: await presentConsents(requireUser(request).userId) }),
  );

  app.put(
    '/me/consents/personal-data',
    {
      schema: {
        tags,
        summary: 'Give the consent to personal-data processing (the version must be the current one)',
        body: ConsentVersion,
        response: {
          200: Type.Object({ items: Type.Array(ConsentRecord) }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (request) => {
      const p = requireUser(request);
      await giveConsent(app.db, contextOf(request), p.userId, request.body.version, request.headers['user-agent']);
      return { items: await presentConsents(p.userId) };
    },
  );

  app.delete(
    '/me/consents/personal-data',
    {
      schema: {
        tags,
        summary: 'Withdraw the consent (152-ФЗ ст. 9 ч. 2); appeals go on being handled under 59-ФЗ',
        response: { 200: Type.Object({ items: Type.Array(ConsentRecord) }), 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => {
      const p = requireUser(request);
      await withdrawConsent(app.db, contextOf(request), p.userId);
      return { items: await presentConsents(p.userId) };
    },
  );
};
