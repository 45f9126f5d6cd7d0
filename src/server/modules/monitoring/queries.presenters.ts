import type { TestedPost } from './queries.commands.ts';
import type { QueryWithCategory } from './queries.repository.ts';
import { explainQuery, parseQuery } from './query/index.ts';

/** Monitoring queries as the API shows them: every field by name, with how the text was understood. */

function explained(text: string): string {
  const parsed = parseQuery(text);
  return parsed.ok ? explainQuery(parsed.query) : '';
}

export function presentQuery(q: QueryWithCategory) {
  return {
    id: q.id,
    municipalityId: q.municipality_id,
    name: q.name,
    text: q.text,
    explained: explained(q.text),
    defaultCategoryId: q.default_category_id,
    defaultCategoryName: q.category_name,
    active: q.active,
    createdAt: q.created_at.toISOString(),
    updatedAt: q.updated_at.toISOString(),
  };
}

export function presentTest(text: string, result: { tested: number; matches: TestedPost[] }) {
  return {
    explained: explained(text),
    tested: result.tested,
    matched: result.matches.length,
    items: result.matches.map(({ post, hits }) => ({
      postId: Number(post.id),
      source: { id: post.source_id, kind: post.source_kind, name: post.source_name },
      url: post.url,
      authorHandle: post.author_handle,
      text: post.text,
      publishedAt: post.published_at.toISOString(),
      highlights: hits.map((h) => ({ from: h.from, to: h.to, term: h.term })),
    })),
  };
}
