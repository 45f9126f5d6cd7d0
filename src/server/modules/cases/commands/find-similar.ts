import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid, notFound } from '../../../core/http/errors.ts';
import { type CaseRow, findCase, findCases, findCategory, findMunicipalityForCases } from '../cases.repository.ts';
import { SIMILAR_LIMIT, SIMILAR_TEXT_MIN_LENGTH, SIMILAR_TEXT_THRESHOLD, SIMILAR_TEXT_WINDOW } from '../cluster-rules.ts';
import { type Candidate, clusterMembers, openCasesOfApplicant, openCasesWithSimilarText } from '../clusters.repository.ts';
import { canReadCasesOf } from '../permissions.ts';

export type SimilarReason = 'same_applicant' | 'similar_text';

export interface SimilarResult {
  items: Array<{ case: CaseRow; score: number; reason: SimilarReason }>;
  /** Similar open cases of other people that the caller may not see (a resident); 0 for staff. */
  hiddenCount: number;
}

/** Residents learn how many similar cases of others exist, counted up to this many. */
const HIDDEN_COUNT_CAP = 100;

const round = (score: number) => Math.round(score * 1000) / 1000;

/** The same applicant's cases first (most similar text first), then the similar texts of others, at most 10. */
async function assemble(db: Db, own: Candidate[], similar: Candidate[]) {
  const picked: Array<{ c: Candidate; reason: SimilarReason }> = own.map((c) => ({ c, reason: 'same_applicant' }));
  const seen = new Set(own.map((c) => c.id));
  for (const c of similar) if (!seen.has(c.id)) picked.push({ c, reason: 'similar_text' });
  const top = picked.slice(0, SIMILAR_LIMIT);
  const rows = new Map(
    (
      await findCases(
        db,
        top.map((p) => p.c.id),
      )
    ).map((r) => [r.id, r]),
  );
  return top.flatMap(({ c, reason }) => {
    const row = rows.get(c.id);
    return row ? [{ case: row, score: round(c.score), reason }] : [];
  });
}

export interface SimilarInput {
  municipalityId: number;
  categoryId?: number;
  text: string;
  /** Staff registering a call or a letter: the applicant's e-mail, to find their open cases. */
  email?: string;
}

/**
 * Before a case is submitted: similar open cases of the municipality. Staff of the municipality see summaries of
 * the applicant's open cases (by the e-mail they give) and of similar texts in the category. Anyone else (a
 * resident) sees only their own open cases there, and how many similar cases of other people exist — never
 * another person's text, address or name.
 */
export async function findSimilarForSubmission(db: Db, ctx: CommandContext, input: SimilarInput): Promise<SimilarResult> {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to look for similar cases');
  const m = await findMunicipalityForCases(db, input.municipalityId);
  if (!m) throw notFound('Municipality');
  if (input.categoryId !== undefined) {
    const cat = await findCategory(db, input.categoryId);
    if (!cat || cat.municipality_id !== m.id) throw invalid('categoryId', 'no such category in this municipality');
  }
  const text = input.text.trim();
  const staff = canReadCasesOf(p, m.id);
  const own = await openCasesOfApplicant(db, {
    municipalityId: m.id,
    userId: staff ? null : p.userId,
    email: staff ? (input.email ?? null) : null,
    text,
    excludeIds: [],
    limit: SIMILAR_LIMIT,
  });
  const similar =
    input.categoryId !== undefined && text.length >= SIMILAR_TEXT_MIN_LENGTH
      ? await openCasesWithSimilarText(db, {
          municipalityId: m.id,
          categoryId: input.categoryId,
          text,
          threshold: SIMILAR_TEXT_THRESHOLD,
          window: SIMILAR_TEXT_WINDOW,
          excludeIds: [],
          limit: staff ? SIMILAR_LIMIT + own.length : HIDDEN_COUNT_CAP,
        })
      : [];
  if (staff) return { items: await assemble(db, own, similar), hiddenCount: 0 };
  return {
    items: await assemble(db, own, []),
    hiddenCount: similar.filter((c) => c.applicant_user_id !== p.userId).length,
  };
}

/**
 * Staff of the case's municipality: open cases similar to this one (the same applicant by account or e-mail, or a
 * similar text in the same category), leaving out the case itself and its cluster. 404 for anyone else.
 */
export async function findSimilarToCase(db: Db, ctx: CommandContext, id: number): Promise<SimilarResult> {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to look for similar cases');
  const c = await findCase(db, id);
  if (!c || !canReadCasesOf(p, c.municipality_id)) throw notFound('Case');
  const primaryId = c.cluster_primary_id ?? c.id;
  const excludeIds = [primaryId, ...(await clusterMembers(db, primaryId)).map((r) => r.id)];
  const own = await openCasesOfApplicant(db, {
    municipalityId: c.municipality_id,
    userId: c.applicant_user_id,
    email: c.email,
    text: c.text,
    excludeIds,
    limit: SIMILAR_LIMIT,
  });
  const similar =
    c.category_id !== null
      ? await openCasesWithSimilarText(db, {
          municipalityId: c.municipality_id,
          categoryId: c.category_id,
          text: c.text,
          threshold: SIMILAR_TEXT_THRESHOLD,
          window: SIMILAR_TEXT_WINDOW,
          excludeIds,
          limit: SIMILAR_LIMIT + own.length,
        })
      : [];
  return { items: await assemble(db, own, similar), hiddenCount: 0 };
}
