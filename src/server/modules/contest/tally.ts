// The tally of a category (issue 8, item 3): pure, from the ballots to the places.
//
// Two methods, chosen per contest:
//  - `ranking`: each member ranks every admitted application of the category (1 = best). The Borda count gives an
//    application n − r points for rank r on a ballot of n; with complete ballots this orders the applications
//    exactly as the lowest sum of ranks does, so the score shown is the sum of ranks (lower is better) and the
//    Borda points beside it.
//  - `criteria`: each member scores each application 1–10 on each criterion (the federal methodology's expert
//    assessment gives 1 to 10 points, domain-ru §6); a member's score of an application is the weighted mean of
//    their criteria scores, and the application's score is the mean over the members who scored it (higher is better).
//
// Equal scores are a tie. A tie is never broken by the order of ids or names: it stays unresolved until a tie-break
// is recorded (for example the chair's deciding vote, as regional regulations usually provide), which orders the
// tied applications explicitly. A category without applications has no places («места не распределялись»).

export type Method = 'ranking' | 'criteria';

export interface Criterion {
  code: string;
  name: string;
  weight: number;
}

/** One member's vote on one application: a rank (ranking) or criteria scores (criteria). */
export interface Ballot {
  memberId: number;
  applicationId: number;
  rank?: number | null;
  scores?: Record<string, number> | null;
}

export interface TieBreak {
  /** The tied applications in the order decided, best first. */
  order: number[];
  basis: string;
}

export interface TallyRow {
  applicationId: number;
  /** Ranking: the sum of ranks (lower is better). Criteria: the mean weighted score (higher is better). */
  score: number;
  /** Ranking only: Borda points (n − rank summed over the ballots). */
  borda: number | null;
  ballots: number;
  /** 1-based; null while the application is in an unresolved tie. */
  place: number | null;
  /** The other applications with the same score (before any tie-break). */
  tiedWith: number[];
  /** The place was decided by the recorded tie-break. */
  byTieBreak: boolean;
}

export interface Tally {
  method: Method;
  empty: boolean;
  rows: TallyRow[];
  /** Groups of applications with equal scores that the tie-break (if any) does not order. */
  unresolved: number[][];
}

const EPS = 1e-9;

/** The weighted mean of one member's criteria scores for one application. */
export function weightedMean(scores: Record<string, number>, criteria: readonly Criterion[]): number {
  let sum = 0;
  let weights = 0;
  for (const c of criteria) {
    const s = scores[c.code];
    if (s === undefined) continue;
    sum += s * c.weight;
    weights += c.weight;
  }
  return weights === 0 ? 0 : sum / weights;
}

export function tally(
  method: Method,
  applicationIds: readonly number[],
  ballots: readonly Ballot[],
  criteria: readonly Criterion[] = [],
  tieBreak: TieBreak | null = null,
): Tally {
  if (applicationIds.length === 0) return { method, empty: true, rows: [], unresolved: [] };
  const n = applicationIds.length;
  const scored = applicationIds.map((applicationId) => {
    const mine = ballots.filter((b) => b.applicationId === applicationId);
    if (method === 'ranking') {
      const ranks = mine.map((b) => b.rank ?? 0);
      return {
        applicationId,
        score: ranks.reduce((s, r) => s + r, 0),
        borda: ranks.reduce((s, r) => s + (n - r), 0),
        ballots: mine.length,
      };
    }
    const means = mine.map((b) => weightedMean(b.scores ?? {}, criteria));
    const score = means.length === 0 ? 0 : means.reduce((s, v) => s + v, 0) / means.length;
    return { applicationId, score, borda: null, ballots: mine.length };
  });
  // Better first: the lower sum of ranks, or the higher weighted score.
  const better = (a: { score: number }, b: { score: number }) => (method === 'ranking' ? a.score - b.score : b.score - a.score);
  const sorted = [...scored].sort((a, b) => {
    const d = better(a, b);
    return Math.abs(d) < EPS ? 0 : d;
  });
  // Groups of equal scores, in order.
  const groups: (typeof scored)[] = [];
  for (const s of sorted) {
    const last = groups.at(-1);
    if (last && Math.abs((last[0] as (typeof scored)[number]).score - s.score) < EPS) last.push(s);
    else groups.push([s]);
  }
  const rows: TallyRow[] = [];
  const unresolved: number[][] = [];
  let place = 1;
  for (const g of groups) {
    const ids = g.map((x) => x.applicationId);
    if (g.length === 1) {
      const x = g[0] as (typeof scored)[number];
      rows.push({ ...x, place, tiedWith: [], byTieBreak: false });
      place += 1;
      continue;
    }
    const order = tieBreak?.order.filter((id) => ids.includes(id)) ?? [];
    const resolved = order.length === ids.length;
    const ordered = resolved ? order.map((id) => g.find((x) => x.applicationId === id) as (typeof scored)[number]) : g;
    if (!resolved) unresolved.push(ids);
    for (const [i, x] of ordered.entries()) {
      rows.push({
        ...x,
        place: resolved ? place + i : null,
        tiedWith: ids.filter((id) => id !== x.applicationId),
        byTieBreak: resolved,
      });
    }
    place += g.length;
  }
  return { method, empty: false, rows, unresolved };
}

/**
 * Checks one member's ballot for a category before it is recorded; returns the reason it is refused, or null.
 * Ranking: a permutation of 1..n over exactly the admitted applications. Criteria: every admitted application,
 * every criterion, whole points 1–10.
 */
export function ballotProblem(
  method: Method,
  admitted: readonly number[],
  ballot: {
    ranking?: number[] | undefined;
    scores?: Array<{ applicationId: number; scores: Record<string, number> }> | undefined;
  },
  criteria: readonly Criterion[],
): { field: string; reason: string } | null {
  const set = new Set(admitted);
  if (method === 'ranking') {
    const r = ballot.ranking;
    if (!r) return { field: 'ranking', reason: 'this contest votes by ranking: list the applications best first' };
    for (const id of r)
      if (!set.has(id)) return { field: 'ranking', reason: `application ${id} is not admitted in this category` };
    if (new Set(r).size !== r.length) return { field: 'ranking', reason: 'an application is listed twice' };
    if (r.length !== admitted.length) {
      return { field: 'ranking', reason: `rank all ${admitted.length} admitted applications of the category` };
    }
    return null;
  }
  const s = ballot.scores;
  if (!s) return { field: 'scores', reason: 'this contest votes by criteria: give scores for each application' };
  const seen = new Set<number>();
  for (const item of s) {
    if (!set.has(item.applicationId)) {
      return { field: 'scores', reason: `application ${item.applicationId} is not admitted in this category` };
    }
    if (seen.has(item.applicationId)) return { field: 'scores', reason: `application ${item.applicationId} is scored twice` };
    seen.add(item.applicationId);
    for (const c of criteria) {
      const v = item.scores[c.code];
      if (v === undefined) return { field: 'scores', reason: `no score for «${c.name}» (${c.code})` };
      if (!Number.isInteger(v) || v < 1 || v > 10) return { field: 'scores', reason: `«${c.name}»: a whole number from 1 to 10` };
    }
    for (const code of Object.keys(item.scores)) {
      if (!criteria.some((c) => c.code === code)) return { field: 'scores', reason: `no criterion ${code} in this contest` };
    }
  }
  if (seen.size !== admitted.length) return { field: 'scores', reason: `score all ${admitted.length} admitted applications` };
  return null;
}

/** Quorum: the meeting may decide when more than half of the commission's members are present. */
export const hasQuorum = (present: number, total: number) => total > 0 && present * 2 > total;
