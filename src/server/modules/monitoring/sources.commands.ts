import { randomBytes } from 'node:crypto';
import { writeAudit } from '../../core/audit/audit.ts';
import type { CommandContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { connectorFor } from './connectors/index.ts';
import { ConfigError, type SourceKind } from './connectors/types.ts';
import {
  findMunicipality,
  findSource,
  insertSource,
  listSources,
  type SourcePatch,
  type SourceRow,
  updateSource,
} from './monitoring.repository.ts';
import { enqueuePoll } from './poller.ts';
import { canManageSource, sourceScope } from './sources.permissions.ts';
import { auditView } from './sources.presenters.ts';

/** Monitoring sources: list, create, update (deactivate), poll now. Each change writes its audit row. */

/** Default seconds between polls, per kind (a feed changes less often than a VK wall). */
export const DEFAULT_INTERVAL_S: Record<SourceKind, number> = { vk: 60, telegram: 30, rss: 300, webhook: 300 };

function parseConfig(kind: SourceKind, config: unknown): unknown {
  try {
    return connectorFor(kind).parseConfig(config ?? {});
  } catch (error) {
    if (error instanceof ConfigError) throw invalid(error.field ? `config.${error.field}` : 'config', error.reason);
    throw error;
  }
}

function requireAdmin(ctx: CommandContext) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  const scope = sourceScope(ctx.principal);
  if (scope !== 'all' && scope.length === 0)
    throw forbidden('Monitoring sources are managed by municipal and regional administrators');
  return scope;
}

/** A source the caller manages; another municipality's (or, for a municipal admin, a regional one) is 404. */
async function managedSource(db: Db, ctx: CommandContext, id: number, options: { forUpdate?: boolean } = {}): Promise<SourceRow> {
  requireAdmin(ctx);
  const s = await findSource(db, id, options);
  if (!s || !canManageSource(ctx.principal, s.municipality_id)) throw notFound('Monitoring source');
  return s;
}

export interface SourcesFilter {
  municipalityId?: number;
  regional?: boolean;
  kind?: SourceKind;
  active?: boolean;
}

export async function readSources(db: Db, ctx: CommandContext, f: SourcesFilter): Promise<SourceRow[]> {
  const scope = requireAdmin(ctx);
  if (f.municipalityId !== undefined && !canManageSource(ctx.principal, f.municipalityId)) {
    throw forbidden('You manage the monitoring sources of other municipalities');
  }
  if (f.regional && scope !== 'all') throw forbidden('Regional sources are managed by the region’s administrators');
  return listSources(db, {
    scope,
    ...(f.regional
      ? { municipalityId: 'regional' as const }
      : f.municipalityId !== undefined && { municipalityId: f.municipalityId }),
    ...(f.kind && { kind: f.kind }),
    ...(f.active !== undefined && { active: f.active }),
  });
}

export const readSource = (db: Db, ctx: CommandContext, id: number) => managedSource(db, ctx, id);

export interface CreateSourceInput {
  municipalityId: number | null;
  kind: SourceKind;
  name: string;
  config?: unknown;
  secret?: string;
  replySecret?: string;
  active?: boolean;
  pollIntervalS?: number;
}

/**
 * Adds a source. VK and Telegram need their token; a webhook without a secret gets a generated one, returned this
 * once (like an API key). Settings are checked by the kind's connector.
 */
export async function createSource(db: Db, ctx: CommandContext, input: CreateSourceInput) {
  requireAdmin(ctx);
  if (input.municipalityId !== null && !(await findMunicipality(db, input.municipalityId))) {
    throw invalid('municipalityId', 'no such municipality');
  }
  if (!canManageSource(ctx.principal, input.municipalityId)) {
    throw forbidden(
      input.municipalityId === null
        ? 'Regional sources are added by the region’s administrators'
        : 'Only an administrator of this municipality adds its monitoring sources',
    );
  }
  const connector = connectorFor(input.kind);
  const config = parseConfig(input.kind, input.config);
  const generatedSecret = input.kind === 'webhook' && !input.secret ? randomBytes(32).toString('base64url') : undefined;
  const secret = input.secret ?? generatedSecret ?? null;
  if (connector.secretRequired && !secret) {
    throw invalid('secret', input.kind === 'vk' ? 'a VK service token is required' : 'a bot token is required');
  }
  if (input.replySecret && input.kind !== 'vk') throw invalid('replySecret', 'only VK sources take a separate reply token');
  const row = await db.transaction().execute(async (trx) => {
    const r = await insertSource(trx, {
      municipalityId: input.municipalityId,
      kind: input.kind,
      name: input.name.trim(),
      config,
      secret,
      replySecret: input.replySecret ?? null,
      active: input.active ?? true,
      pollIntervalS: input.pollIntervalS ?? DEFAULT_INTERVAL_S[input.kind],
      createdBy: ctx.principal?.userId ?? null,
      now: ctx.now,
    });
    await writeAudit(trx, ctx, {
      action: 'monitoring_source.create',
      entityType: 'monitoring_source',
      entityId: r.id,
      municipalityId: r.municipality_id,
      after: auditView(r),
    });
    return r;
  });
  return { row, generatedSecret };
}

export interface UpdateSourceInput {
  name?: string;
  config?: unknown;
  secret?: string;
  replySecret?: string | null;
  active?: boolean;
  pollIntervalS?: number;
}

/**
 * Changes a source's settings, secrets, interval or activity (active: false deactivates it). New settings or a new
 * token take effect at once: the backoff earned by the old ones is forgotten and the source is due now.
 */
export async function changeSource(db: Db, ctx: CommandContext, id: number, input: UpdateSourceInput) {
  const current = await managedSource(db, ctx, id);
  const config = input.config !== undefined ? parseConfig(current.kind, input.config) : undefined;
  if (input.replySecret !== undefined && input.replySecret !== null && current.kind !== 'vk') {
    throw invalid('replySecret', 'only VK sources take a separate reply token');
  }
  return db.transaction().execute(async (trx) => {
    const before = await findSource(trx, id, { forUpdate: true });
    if (!before) throw notFound('Monitoring source');
    const reactivated = input.active === true && !before.active;
    const patch: SourcePatch = {
      now: ctx.now,
      ...(input.name !== undefined && { name: input.name.trim() }),
      ...(config !== undefined && { config }),
      ...(input.secret !== undefined && { secret: input.secret }),
      ...(input.replySecret !== undefined && { replySecret: input.replySecret }),
      ...(input.active !== undefined && { active: input.active }),
      ...(input.pollIntervalS !== undefined && { pollIntervalS: input.pollIntervalS }),
      retryNow: config !== undefined || input.secret !== undefined || reactivated,
    };
    const after = await updateSource(trx, id, patch);
    await writeAudit(trx, ctx, {
      action: input.active === false && before.active ? 'monitoring_source.deactivate' : 'monitoring_source.update',
      entityType: 'monitoring_source',
      entityId: id,
      municipalityId: after.municipality_id,
      before: auditView(before),
      after: {
        ...auditView(after),
        ...(input.secret !== undefined && { secretChanged: true }),
        ...(input.replySecret !== undefined && { replySecretChanged: true }),
      },
    });
    return after;
  });
}

/** "Poll now": queues a poll of the source (at the end of its backoff, if it is backing off). */
export async function pollNow(db: Db, ctx: CommandContext, id: number) {
  const source = await managedSource(db, ctx, id);
  if (!source.active) throw new AppError('CONFLICT', 'The source is deactivated; activate it first');
  if (source.kind === 'webhook') throw new AppError('CONFLICT', 'A webhook source is pushed to, not polled');
  return db.transaction().execute(async (trx) => {
    const job = await enqueuePoll(trx, source, ctx.now);
    const runAt = source.backoff_until && source.backoff_until > ctx.now ? source.backoff_until : ctx.now;
    await writeAudit(trx, ctx, {
      action: 'monitoring_source.poll',
      entityType: 'monitoring_source',
      entityId: id,
      municipalityId: source.municipality_id,
      after: { jobId: job.id, runAt },
    });
    return { jobId: job.id, runAt };
  });
}
