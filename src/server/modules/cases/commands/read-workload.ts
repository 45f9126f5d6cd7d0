import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { findMunicipalityForCases } from '../cases.repository.ts';
import { canReadCasesOf } from '../permissions.ts';
import { workload } from '../templates.repository.ts';

/**
 * Executors' workload for the staff of a municipality: open cases per person, how many are past their next
 * deadline (`due_at` before `ctx.now`) and how many fall due within 24 hours. 403 for other municipalities.
 */
export async function readWorkload(db: Db, ctx: CommandContext, municipalityId: number) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see the workload');
  const m = await findMunicipalityForCases(db, municipalityId);
  if (!m) throw notFound('Municipality');
  if (!canReadCasesOf(ctx.principal, municipalityId)) throw forbidden('The workload is for the staff of this municipality');
  return workload(db, municipalityId, ctx.now);
}
