import { createHash, randomBytes } from 'node:crypto';
import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { forbidden, notFound } from '../../../core/http/errors.ts';
import { findApiKey, findMunicipality, insertApiKey, listApiKeys, revokeApiKey } from '../open311.repository.ts';
import { canManageApiKeys } from '../permissions.ts';

export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

async function checkAdmin(db: Db, ctx: CommandContext, municipalityId: number) {
  if (!(await findMunicipality(db, municipalityId))) throw notFound('Municipality');
  if (!canManageApiKeys(ctx.principal, municipalityId))
    throw forbidden('Only an administrator of this municipality manages its API keys');
}

/** The municipality's keys (never the keys themselves: only their first characters). */
export async function readApiKeys(db: Db, ctx: CommandContext, municipalityId: number) {
  await checkAdmin(db, ctx, municipalityId);
  return listApiKeys(db, municipalityId);
}

/**
 * Issues a key for an integration: 192 random bits, shown to the administrator this once; only its SHA-256 and
 * first characters are stored. One transaction with the audit row.
 */
export async function createApiKey(db: Db, ctx: CommandContext, municipalityId: number, input: { name: string }) {
  await checkAdmin(db, ctx, municipalityId);
  const key = `o311_${randomBytes(24).toString('base64url')}`;
  const row = await db.transaction().execute(async (trx) => {
    const r = await insertApiKey(trx, {
      municipalityId,
      name: input.name.trim(),
      sha256: hashKey(key),
      prefix: key.slice(0, 9),
      createdBy: ctx.principal?.userId ?? null,
      now: ctx.now,
    });
    const { key_sha256: _, ...shown } = r;
    await writeAudit(trx, ctx, { action: 'api_key.create', entityType: 'api_key', entityId: r.id, municipalityId, after: shown });
    return r;
  });
  return { row, key };
}

/** Revokes a key at once (Open311 POSTs with it get 403). Another municipality's key is 404. */
export async function revokeKey(db: Db, ctx: CommandContext, id: number) {
  const before = await findApiKey(db, id);
  if (!before || !canManageApiKeys(ctx.principal, before.municipality_id)) throw notFound('API key');
  if (before.revoked_at) return before;
  return db.transaction().execute(async (trx) => {
    const row = (await revokeApiKey(trx, id, ctx.now)) ?? before;
    await writeAudit(trx, ctx, {
      action: 'api_key.revoke',
      entityType: 'api_key',
      entityId: id,
      municipalityId: before.municipality_id,
      after: { revokedAt: row.revoked_at },
    });
    return row;
  });
}
