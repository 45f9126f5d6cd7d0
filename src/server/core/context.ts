import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth/principal.ts';

/** What a command needs to know about the request that runs it: who, when, and how to trace it. */
export interface CommandContext {
  principal: Principal | undefined;
  requestId: string | null;
  ip: string | null;
  now: Date;
}

export function contextOf(request: FastifyRequest): CommandContext {
  return {
    principal: request.principal,
    requestId: String(request.id),
    ip: request.ip ?? null,
    now: request.server.clock.now(),
  };
}

/** For the CLI, jobs and seeding: no request, maybe no principal. */
export function systemContext(now: Date, principal?: Principal): CommandContext {
  return { principal, requestId: null, ip: null, now };
}
