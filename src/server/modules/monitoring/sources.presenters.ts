import type { SourceRow } from './monitoring.repository.ts';

/** A source as the admin API shows it: every field by name; the secrets only as "set" / "not set". */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type HealthStatus = 'ok' | 'never' | 'error' | 'backoff' | 'inactive';

export function healthStatus(s: SourceRow, now: Date): HealthStatus {
  if (!s.active) return 'inactive';
  if (s.backoff_until && s.backoff_until.getTime() > now.getTime()) return 'backoff';
  if (!s.last_polled_at && !s.last_success_at) return 'never';
  const failing = s.consecutive_errors + s.consecutive_rate_limits > 0;
  return failing ? 'error' : 'ok';
}

export function presentHealth(s: SourceRow, now: Date) {
  return {
    status: healthStatus(s, now),
    lastPolledAt: iso(s.last_polled_at),
    lastSuccessAt: iso(s.last_success_at),
    lastErrorAt: iso(s.last_error_at),
    lastError: s.last_error,
    consecutiveErrors: s.consecutive_errors,
    consecutiveRateLimits: s.consecutive_rate_limits,
    backoffUntil: iso(s.backoff_until),
    nextPollAt: s.kind === 'webhook' || !s.active ? null : iso(s.next_poll_at),
    lagS: s.lag_s,
    sinceSuccessS: s.last_success_at ? Math.max(0, Math.round((now.getTime() - s.last_success_at.getTime()) / 1000)) : null,
    postsTotal: Number(s.posts_total),
    skippedTotal: Number(s.skipped_total),
    lastSkipReason: s.last_skip_reason,
  };
}

/** The cursor for diagnostics; a feed's list of seen item ids is shown as its length. */
function cursorSummary(cursor: unknown): unknown {
  if (typeof cursor !== 'object' || cursor === null) return {};
  const c = cursor as Record<string, unknown>;
  return Array.isArray(c.seen) ? { ...c, seen: c.seen.length } : c;
}

/** Whether replies can be published back: VK with a community token, Telegram with its bot token. */
export const canReply = (s: SourceRow) => (s.kind === 'vk' && !!s.reply_secret) || (s.kind === 'telegram' && !!s.secret);

export function presentSource(s: SourceRow, now: Date, publicUrl: string) {
  return {
    id: s.id,
    municipalityId: s.municipality_id,
    kind: s.kind,
    name: s.name,
    config: (s.config ?? {}) as Record<string, unknown>,
    secretSet: !!s.secret,
    replySecretSet: !!s.reply_secret,
    canReply: canReply(s),
    active: s.active,
    pollIntervalS: s.poll_interval_s,
    cursor: cursorSummary(s.cursor),
    webhookUrl: s.kind === 'webhook' ? `${publicUrl.replace(/\/+$/, '')}/api/v1/monitoring/webhook/${s.id}` : null,
    health: presentHealth(s, now),
    createdAt: s.created_at.toISOString(),
    updatedAt: s.updated_at.toISOString(),
  };
}

/** What the audit log keeps of a source: its settings, never its secrets. */
export function auditView(s: SourceRow) {
  return {
    municipalityId: s.municipality_id,
    kind: s.kind,
    name: s.name,
    config: s.config,
    secretSet: !!s.secret,
    replySecretSet: !!s.reply_secret,
    active: s.active,
    pollIntervalS: s.poll_interval_s,
  };
}
