import type { PostView } from './moderation.repository.ts';
import type { StoredMatch } from './monitoring-db.ts';

/** Posts as the moderation API shows them: every field by name; the source's secrets only as "can reply". */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Replies go back through the platform: VK with a community token, Telegram with its bot token. */
export const sourceCanReply = (p: Pick<PostView, 'source_kind' | 'source_secret_set' | 'source_reply_secret_set'>) =>
  (p.source_kind === 'vk' && p.source_reply_secret_set) || (p.source_kind === 'telegram' && p.source_secret_set);

export function presentPost(p: PostView, names: ReadonlyMap<number, string>) {
  const hits = new Map((p.match_hits ?? []).map((m: StoredMatch) => [m.queryId, m.hits]));
  return {
    id: Number(p.id),
    status: p.status,
    source: { id: p.source_id, kind: p.source_kind, name: p.source_name },
    externalId: p.external_id,
    parentExternalId: p.parent_external_id,
    url: p.url,
    authorHandle: p.author_handle,
    authorName: p.author_name,
    text: p.text,
    publishedAt: p.published_at.toISOString(),
    fetchedAt: p.fetched_at.toISOString(),
    municipality:
      p.municipality_id === null ? null : { id: p.municipality_id, name: p.municipality_name ?? String(p.municipality_id) },
    place: p.place
      ? {
          kind: p.place.kind,
          name: p.place.name,
          text: p.place.text,
          from: p.place.from,
          to: p.place.to,
          municipalityId: p.place.municipalityId,
          placeId: p.place.placeId,
          ambiguous: p.place.ambiguous,
        }
      : null,
    category: p.category_id === null ? null : { id: p.category_id, name: p.category_name ?? String(p.category_id) },
    matchedQueries: p.matched_query_ids.map((id) => ({
      id,
      name: names.get(id) ?? `#${id}`,
      highlights: (hits.get(id) ?? []).map((h) => ({ from: h.from, to: h.to, term: h.term })),
    })),
    duplicateCount: p.dup_count,
    duplicateOf: p.duplicate_of === null ? null : Number(p.duplicate_of),
    caseId: p.case_id,
    caseNumber: p.case_number,
    dismissReason: p.dismiss_reason,
    moderatedBy: p.status === 'accepted' || p.status === 'dismissed' ? p.moderated_by : null,
    moderatedAt: p.status === 'accepted' || p.status === 'dismissed' ? iso(p.moderated_at) : null,
    canReply: sourceCanReply(p),
    reply:
      p.reply_status === null
        ? null
        : {
            status: p.reply_status,
            text: p.reply_text ?? '',
            externalId: p.reply_external_id,
            url: p.reply_url,
            error: p.reply_error,
            repliedBy: p.replied_by,
            repliedAt: iso(p.replied_at),
          },
  };
}

/** The opaque keyset cursor: the last item's fetched_at and id. */
export function encodeCursor(p: { fetched_at: Date; id: number | bigint }): string {
  return Buffer.from(`${p.fetched_at.toISOString()}|${Number(p.id)}`).toString('base64url');
}

export function decodeCursor(cursor: string): { fetchedAt: Date; id: number } | null {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const fetchedAt = new Date(at ?? '');
  const n = Number(id);
  if (Number.isNaN(fetchedAt.getTime()) || !Number.isSafeInteger(n) || n < 1) return null;
  return { fetchedAt, id: n };
}
