import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../../core/http/errors.ts';
import { formatRuDateTime } from '../../../core/time/index.ts';
import { readSummary } from '../../analytics/index.ts';
import { applicationAttachments, setApplicationAttachments } from '../../attachments/index.ts';
import { presentApplication } from '../contest.presenters.ts';
import { type ApplicationRow, type ContestRow, categoriesOf, findApplication, findMunicipality } from '../contest.repository.ts';
import {
  APPLICATION_STATUS_NAMES,
  type ApplicationStatus,
  REQUIRED_SECTIONS,
  SECTION_NAMES,
  type SectionKey,
} from '../contest-ru.ts';
import { isMunicipalAdmin, isRegionalAdmin, seesWholeContest } from '../permissions.ts';
import { contestFor, principalOf, requireStatus } from './access.ts';

/** The calendars analytics needs (app.calendars). */
export type Calendars = Parameters<typeof readSummary>[2];

/** A figure of the application's results: typed in, or pulled from Otklik's analytics with its source and definition. */
export interface Figure {
  key: string | null;
  label: string;
  value: number | null;
  unit: string;
  definition: string;
  source: string;
  period: { from: string; to: string } | null;
  /** The value analytics gave (null for a typed figure); `edited` when the value differs from it. */
  pulledValue: number | null;
  edited: boolean;
}

export interface ApplicationInput {
  applicantName?: string;
  sections?: Partial<Record<SectionKey, string>>;
  figures?: Array<{
    key?: string | null;
    label: string;
    value: number | null;
    unit?: string;
    definition?: string;
    source?: string;
  }>;
  attachmentIds?: number[];
}

/**
 * The application with the caller's right to it: the region's administrators and commission see every one (the
 * commission only from admission on), the municipality's administrators their own; anyone else 404.
 */
export async function applicationFor(db: Db, ctx: CommandContext, id: number): Promise<{ a: ApplicationRow; c: ContestRow }> {
  const p = principalOf(ctx);
  const a = await findApplication(db, id);
  if (!a) throw notFound('Application');
  const c = await contestFor(db, ctx, a.contest_id).catch(() => {
    throw notFound('Application');
  });
  const own = isMunicipalAdmin(p, a.municipality_id);
  const regional = isRegionalAdmin(p, c.region_id);
  const commission = seesWholeContest(p, c.region_id) && a.status === 'admitted';
  if (!own && !regional && !commission) throw notFound('Application');
  return { a, c };
}

/** The application as its page shows it, with its files (404 outside the caller's scope, as applicationFor). */
export async function readApplication(db: Db, ctx: CommandContext, id: number) {
  const { a } = await applicationFor(db, ctx, id);
  return presentApplication(a, await applicationAttachments(db, a.id));
}

function requireOwn(ctx: CommandContext, a: ApplicationRow) {
  if (!isMunicipalAdmin(ctx.principal, a.municipality_id)) {
    throw forbidden('Only an administrator of the applying municipality writes and submits its application');
  }
}

function requireAppStatus(a: ApplicationRow, statuses: readonly ApplicationStatus[], what: string) {
  if (!statuses.includes(a.status)) {
    throw new AppError(
      'CONFLICT',
      `Cannot ${what}: the application is «${APPLICATION_STATUS_NAMES[a.status]}» (${a.status}); this needs ${statuses.map((s) => `"${s}"`).join(' or ')}`,
    );
  }
}

function figuresOf(input: NonNullable<ApplicationInput['figures']>, before: Figure[]): Figure[] {
  return input.map((f) => {
    // Pulled from analytics (it has a period), even when analytics had no value for it: its source stays.
    const pulled = f.key ? before.find((b) => b.key === f.key && b.period !== null) : undefined;
    return {
      key: f.key ?? null,
      label: f.label.trim(),
      value: f.value,
      unit: f.unit ?? pulled?.unit ?? '',
      definition: f.definition ?? pulled?.definition ?? '',
      source: f.source ?? pulled?.source ?? 'указано муниципальным образованием',
      period: pulled?.period ?? null,
      pulledValue: pulled?.pulledValue ?? null,
      edited: pulled ? pulled.pulledValue !== f.value : false,
    };
  });
}

/** A municipality's administrator starts its application (one per contest); the category follows the municipality's type. */
export async function createApplication(
  db: Db,
  ctx: CommandContext,
  contestId: number,
  municipalityId: number,
  input: ApplicationInput,
) {
  const p = principalOf(ctx);
  const c = await contestFor(db, ctx, contestId);
  const m = await findMunicipality(db, municipalityId);
  if (!m || m.region_id !== c.region_id) throw invalid('municipalityId', 'no such municipality in the contest’s region');
  if (!isMunicipalAdmin(p, municipalityId)) throw forbidden('Only an administrator of the municipality applies for it');
  requireStatus(c, ['setup'], 'apply');
  if (ctx.now.getTime() > c.applications_to.getTime())
    throw new AppError('CONFLICT', 'Приём заявок завершён: the application window has closed');
  const category = (await categoriesOf(db, contestId)).find((k) => k.municipality_types.includes(m.type));
  if (!category) throw invalid('municipalityId', `no category of this contest takes a municipality of type ${m.type}`);
  return db.transaction().execute(async (trx) => {
    const dup = await trx
      .selectFrom('contest_application')
      .select('id')
      .where('contest_id', '=', contestId)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (dup) throw new AppError('CONFLICT', `The municipality already has an application in this contest (id ${dup.id})`);
    const row = await trx
      .insertInto('contest_application')
      .values({
        contest_id: contestId,
        municipality_id: municipalityId,
        category_id: category.id,
        applicant_name: input.applicantName?.trim() || m.name,
        sections: JSON.stringify(input.sections ?? {}),
        figures: JSON.stringify(input.figures ? figuresOf(input.figures, []) : []),
        attachment_ids: input.attachmentIds ?? [],
        created_by: p.userId,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.attachmentIds?.length) {
      await setApplicationAttachments(trx, ctx, { applicationId: row.id, municipalityId }, input.attachmentIds);
    }
    await writeAudit(trx, ctx, {
      action: 'contest.application.create',
      entityType: 'contest_application',
      entityId: row.id,
      municipalityId,
      after: { contestId, categoryId: category.id, status: 'draft' },
    });
    return row.id;
  });
}

/** Edits a draft or a returned application (its author's municipality only). */
export async function updateApplication(db: Db, ctx: CommandContext, id: number, input: ApplicationInput) {
  const { a } = await applicationFor(db, ctx, id);
  requireOwn(ctx, a);
  requireAppStatus(a, ['draft', 'returned'], 'edit the application');
  const sections = { ...(a.sections as Record<string, string>), ...(input.sections ?? {}) };
  const figures = input.figures ? figuresOf(input.figures, a.figures as Figure[]) : (a.figures as Figure[]);
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('contest_application')
      .set({
        ...(input.applicantName !== undefined && { applicant_name: input.applicantName.trim() }),
        sections: JSON.stringify(sections),
        figures: JSON.stringify(figures),
        ...(input.attachmentIds && { attachment_ids: input.attachmentIds }),
        updated_at: ctx.now,
      })
      .where('id', '=', id)
      .where('status', 'in', ['draft', 'returned'])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'The application changed meanwhile; reload it');
    if (input.attachmentIds) {
      await setApplicationAttachments(trx, ctx, { applicationId: id, municipalityId: a.municipality_id }, input.attachmentIds);
    }
    await writeAudit(trx, ctx, {
      action: 'contest.application.update',
      entityType: 'contest_application',
      entityId: id,
      municipalityId: a.municipality_id,
      after: { fields: Object.keys(input), sections: Object.keys(input.sections ?? {}) },
    });
  });
}

/**
 * Pulls the municipality's figures for a period from the analytics module (readSummary) into the application, each
 * with its definition and the source «Отклик: аналитика за период …»; typed figures stay, pulled ones are replaced.
 */
export async function pullFigures(
  db: Db,
  ctx: CommandContext,
  calendars: Calendars,
  id: number,
  q: { from: string; to: string; keys?: string[] | undefined },
) {
  const { a } = await applicationFor(db, ctx, id);
  requireOwn(ctx, a);
  requireAppStatus(a, ['draft', 'returned'], 'change the figures');
  const summary = await readSummary(db, ctx, calendars, a.municipality_id, { from: q.from, to: q.to });
  const wanted = q.keys ? summary.figures.filter((f) => q.keys?.includes(f.key)) : summary.figures;
  const ruDate = (d: string) => d.split('-').reverse().join('.');
  const source = `Отклик: аналитика за период с ${ruDate(q.from)} по ${ruDate(q.to)} (данные на ${formatRuDateTime(new Date(summary.asOf), summary.period.timeZone)})`;
  const pulled: Figure[] = wanted.map((f) => ({
    key: f.key,
    label: f.label,
    value: f.value,
    unit: f.unit,
    definition: f.definition,
    source,
    period: { from: summary.period.from, to: summary.period.to },
    pulledValue: f.value,
    edited: false,
  }));
  const keys = new Set(pulled.map((f) => f.key));
  const figures = [...(a.figures as Figure[]).filter((f) => !(f.key && keys.has(f.key))), ...pulled];
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('contest_application')
      .set({ figures: JSON.stringify(figures), updated_at: ctx.now })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'contest.application.figures_pull',
      entityType: 'contest_application',
      entityId: id,
      municipalityId: a.municipality_id,
      after: { from: q.from, to: q.to, keys: [...keys] },
    });
  });
}

/**
 * Submits (draft → submitted) inside the application window, or resubmits a returned application until
 * `resubmit_to` (by default the window's end). Outside: 409 with the window's dates, nothing changed.
 */
export async function submitApplication(db: Db, ctx: CommandContext, id: number) {
  const { a, c } = await applicationFor(db, ctx, id);
  requireOwn(ctx, a);
  requireAppStatus(a, ['draft', 'returned'], 'submit the application');
  const now = ctx.now.getTime();
  const until = a.status === 'returned' ? (c.resubmit_to ?? c.applications_to) : c.applications_to;
  if (now < c.applications_from.getTime()) {
    throw new AppError('CONFLICT', `Приём заявок ещё не начался: the window opens at ${c.applications_from.toISOString()}`);
  }
  if (now > until.getTime()) {
    throw new AppError('CONFLICT', `Приём заявок завершён: the deadline was ${until.toISOString()}`);
  }
  const sections = a.sections as Record<string, string | undefined>;
  const missing = REQUIRED_SECTIONS.filter((s) => !sections[s]?.trim());
  if (missing.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Fill in: ${missing.map((s) => SECTION_NAMES[s]).join(', ')}`,
      missing.map((s) => ({ field: `sections.${s}`, reason: 'required before submission' })),
    );
  }
  await transition(db, ctx, a, { status: 'submitted', submitted_at: ctx.now }, a.status === 'returned' ? 'resubmit' : 'submit');
}

/** The region's department checks the application against the regulation: it conforms, or goes back with remarks. */
export async function checkApplication(db: Db, ctx: CommandContext, id: number, input: { conforms: boolean; remarks?: string }) {
  const { a, c } = await applicationFor(db, ctx, id);
  if (!isRegionalAdmin(ctx.principal, c.region_id)) throw forbidden('Only the region’s department checks applications');
  requireStatus(c, ['setup'], 'check applications');
  requireAppStatus(a, ['submitted'], 'check the application');
  if (!input.conforms && !input.remarks?.trim()) throw invalid('remarks', 'say what to correct when returning an application');
  await transition(
    db,
    ctx,
    a,
    input.conforms
      ? { status: 'conforms', checked_at: ctx.now, remarks: input.remarks?.trim() || null }
      : { status: 'returned', checked_at: ctx.now, remarks: input.remarks?.trim() ?? null },
    input.conforms ? 'conforms' : 'return',
  );
}

/** The region admits a conforming application to the contest (the protocol's «предложено допустить»). */
export async function admitApplication(db: Db, ctx: CommandContext, id: number) {
  const { a, c } = await applicationFor(db, ctx, id);
  if (!isRegionalAdmin(ctx.principal, c.region_id)) throw forbidden('Only the region’s administrator admits applications');
  requireStatus(c, ['setup'], 'admit applications');
  requireAppStatus(a, ['conforms'], 'admit the application');
  await transition(db, ctx, a, { status: 'admitted', admitted_at: ctx.now }, 'admit');
}

async function transition(
  db: Db,
  ctx: CommandContext,
  a: ApplicationRow,
  changes: { status: ApplicationStatus; submitted_at?: Date; checked_at?: Date; admitted_at?: Date; remarks?: string | null },
  action: string,
) {
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('contest_application')
      .set({ ...changes, updated_at: ctx.now })
      .where('id', '=', a.id)
      .where('status', '=', a.status)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'The application changed meanwhile; reload it');
    await writeAudit(trx, ctx, {
      action: `contest.application.${action}`,
      entityType: 'contest_application',
      entityId: a.id,
      municipalityId: a.municipality_id,
      before: { status: a.status },
      after: { ...changes },
    });
  });
}
