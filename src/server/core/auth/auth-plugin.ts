import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../../shared/roles.ts';
import { AppError } from '../http/errors.ts';
import { hasRoleIn, isStaff, type Principal } from './principal.ts';
import { resolveSession } from './sessions.ts';
import { hmac, safeEqual } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** false on the few writes that come before a session exists (login, register, password reset). */
    csrf?: boolean;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function sessionCookieName(publicUrl: string): string {
  // The __Host- prefix (ASVS 3.3.3) requires Secure, which a plain-http localhost cannot carry.
  return publicUrl.startsWith('https:') ? '__Host-otklik_session' : 'otklik_session';
}

/** The CSRF token is bound to the session: HMAC(secret, session id). Nothing to store, nothing to leak. */
export function csrfTokenFor(secret: string, sessionId: string): string {
  return hmac(secret, `csrf:${sessionId}`);
}

export function setSessionCookie(app: FastifyInstance, reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(sessionCookieName(app.config.publicUrl), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.config.publicUrl.startsWith('https:'),
    expires: expiresAt,
  });
}

export function clearSessionCookie(app: FastifyInstance, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(app.config.publicUrl), { path: '/' });
}

/**
 * Loads the principal from the session cookie and refuses cookie-authenticated writes that lack the
 * session's CSRF token in `X-CSRF-Token` (ASVS 3.5.1). Writes without a session are left to the routes,
 * which answer 401 where a session is needed.
 */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(cookie);
    const cookieName = sessionCookieName(app.config.publicUrl);
    app.decorateRequest('principal', undefined);
    app.addHook('preHandler', async (request) => {
      const token = request.cookies[cookieName];
      if (!token) return;
      const principal = await resolveSession(app.db, token, app.clock.now());
      if (!principal) return;
      if (UNSAFE_METHODS.has(request.method) && request.routeOptions.config.csrf !== false) {
        const sent = request.headers['x-csrf-token'];
        const expected = csrfTokenFor(app.config.sessionSecret, principal.sessionId);
        if (typeof sent !== 'string' || !safeEqual(sent, expected)) {
          throw new AppError(
            'CSRF_TOKEN_INVALID',
            'This write needs the X-CSRF-Token header with the token returned at login or by GET /api/v1/me',
          );
        }
      }
      request.principal = principal;
    });
  },
  { name: 'otklik-auth', dependencies: ['otklik-http'] },
);

export function requireUser(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  return request.principal;
}

export function requireStaff(request: FastifyRequest): Principal {
  const p = requireUser(request);
  if (!isStaff(p)) throw new AppError('FORBIDDEN', 'This is for municipal staff only');
  return p;
}

/** One of `roles` in a scope covering `municipalityId` (regional roles cover every municipality). */
export function requireRole(request: FastifyRequest, roles: readonly Role[], municipalityId?: number): Principal {
  const p = requireUser(request);
  if (!hasRoleIn(p, roles, municipalityId)) throw new AppError('FORBIDDEN', 'You do not have permission to do this');
  return p;
}
