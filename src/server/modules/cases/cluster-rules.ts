import { type CaseRow, OPEN_STATUSES } from './cases.repository.ts';

// Duplicates and clusters (issue 4 point 5): the rules, without SQL.

/** Text similarity (pg_trgm word_similarity taken both ways, 0–1) from which a case counts as "similar text". */
export const SIMILAR_TEXT_THRESHOLD = 0.4;
/** Shorter texts are not compared (a word or two would match every case of the category). */
export const SIMILAR_TEXT_MIN_LENGTH = 10;
/** Only the newest this many open cases of a category are compared with a text (keeps a huge category fast). */
export const SIMILAR_TEXT_WINDOW = 2000;
/** At most this many suggestions. */
export const SIMILAR_LIMIT = 10;
/** At most this many cases joined by one merge. */
export const MERGE_MAX = 50;

/** What may still be done on a member of a cluster: the applicant withdraws it, rates or reopens its answer; staff
 * take it out of the cluster. */
const MEMBER_ACTIONS: ReadonlySet<string> = new Set(['withdraw', 'rate', 'reopen', 'unmerge']);

const isOpen = (status: string | null) => status !== null && (OPEN_STATUSES as readonly string[]).includes(status);

/**
 * While its primary is open, a member of a cluster is worked on through the primary: every workflow action on the
 * member is refused (409) with this reason, except the applicant's own (MEMBER_ACTIONS). Once the primary is
 * answered, redirected or closed, its members are cases of their own again.
 */
export function clusterBlock(
  c: Pick<CaseRow, 'cluster_primary_id' | 'cluster_primary_number' | 'cluster_primary_status'>,
  action: string,
): string | null {
  if (c.cluster_primary_id === null || MEMBER_ACTIONS.has(action) || !isOpen(c.cluster_primary_status)) return null;
  return `The case is in the cluster of ${c.cluster_primary_number}; act on that case`;
}

export { isOpen as isOpenStatus };
