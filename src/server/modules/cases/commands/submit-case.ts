import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { AnswerBy, CaseChannel, CaseKind, CaseRegime } from '../../../core/db/schema.ts';
import { AppError, invalid, notFound } from '../../../core/http/errors.ts';
import { formatRuDate, formatRuDateTime, localDate, type ProductionCalendar } from '../../../core/time/index.ts';
import { caseAttachments } from '../../attachments/index.ts';
import { placeForCase } from '../../places/index.ts';
import { type AttributeAnswers, checkAttributes } from '../attributes.ts';
import { deadlinesFor } from '../case-deadlines.ts';
import { ensureCaseNumbering } from '../cases.repository.ts';
import { intakeReferences } from '../intake-references.ts';
import { canModerateFor, canRegisterFor } from '../permissions.ts';
import { intakeFor, type PreparedSubmission, StaleReferencesError } from './intake-batch.ts';

/** Channels through which residents submit themselves (signed in: 547-ФЗ). */
export const SELF_CHANNELS: readonly CaseChannel[] = ['web', 'api'];
/** Channels an operator registers on the applicant's behalf, entering the contact details. */
export const OPERATOR_CHANNELS: readonly CaseChannel[] = ['phone', 'reception', 'meeting', 'letter'];
/** Channels staff register from what they found: a social-media post a moderator accepts (issue 6, modules/monitoring). */
export const MODERATION_CHANNELS: readonly CaseChannel[] = ['social'];
/** Written appeals: 59-ФЗ ст. 7 ч. 1 asks for the surname and an address for the answer. */
const WRITTEN_CHANNELS: readonly CaseChannel[] = ['web', 'api', 'letter', 'epgu'];

export interface SubmitCaseInput {
  municipalityId: number;
  channel: CaseChannel;
  kind?: CaseKind;
  categoryId?: number;
  regime?: CaseRegime;
  text: string;
  address?: string;
  lat?: number;
  lon?: number;
  /** Operator channels: when the letter arrived / the call was taken; defaults to now. */
  receivedAt?: Date;
  lastName?: string;
  firstName?: string;
  middleName?: string;
  email?: string;
  phone?: string;
  postalAddress?: string;
  answerBy?: AnswerBy;
  isAnonymous?: boolean;
  /** A collective appeal (59-ФЗ ст. 4 п. 1): the other signers, after the applicant. */
  coSigners?: CoSigner[];
  idempotencyKey?: string;
  /** The caller's own pending uploads (POST /attachments) to attach to the new case. */
  attachmentIds?: number[];
  /** Answers to the category's questions (its Open311 attributes), checked against them. */
  attributes?: AttributeAnswers;
  /** Issue 5, channel open311 only: the integration's API key (checked by modules/open311) registers it, no person. */
  apiKey?: { id: number; municipalityId: number };
  /** Open311: a URL of the reporter's photo. */
  mediaUrl?: string;
}

export interface CoSigner {
  lastName: string;
  firstName: string;
  middleName?: string;
  email?: string;
  postalAddress?: string;
}

export interface Calendars {
  calendarFor(regionCode: string | null | undefined): Promise<ProductionCalendar>;
}

const clean = (s: string | undefined) => {
  const t = s?.trim();
  return t ? t : null;
};

/**
 * The one intake for every channel: a resident's own submission (web, API) or an operator's registration of a call,
 * a letter, a visit. Checks the form (ст. 7), routes by category, allocates the yearly number, computes the
 * deadlines with the municipality's calendar and settings; the intake batch then writes the case, the
 * received/registered timeline, the audit row, the confirmation letter and the cabinet notice in one transaction. A
 * repeated idempotency key from the same applicant returns the case already made (`created: false`); a new case
 * comes back with its card (`card`), built from what was written, so the caller need not read it again.
 */
export async function submitCase(db: Db, ctx: CommandContext, calendars: Calendars, input: SubmitCaseInput) {
  const intake = intakeFor(db);
  let fresh = false;
  for (let attempt = 1; ; attempt++) {
    const checked = intake.preparing();
    try {
      let prepared: PreparedSubmission;
      try {
        prepared = await prepareSubmission(db, ctx, calendars, input, fresh);
      } catch (error) {
        // Refused by the checks: make sure it was not by a cached row that another node has changed meanwhile.
        if (fresh || !(error instanceof AppError)) throw error;
        fresh = true;
        prepared = await prepareSubmission(db, ctx, calendars, input, fresh);
      }
      checked();
      const result = await intake.submit(prepared);
      // The card lists the files just attached (read after the commit; most submissions have none).
      if (result.card && prepared.attachmentIds.length > 0) {
        Object.assign(result.card.case, { attachments: await caseAttachments(db, result.id) });
      }
      return result;
    } catch (error) {
      // Checked against a municipality or category row that changed meanwhile: check again with the current rows
      // (they were dropped from the cache). Only a row rewritten again and again between check and write repeats this.
      if (!(error instanceof StaleReferencesError) || attempt >= 5) throw error;
    } finally {
      checked();
    }
  }
}

/** The checks of `submitCase`, and the rows to write as functions of the number and id the batch will give. */

async function prepareSubmission(
  db: Db,
  ctx: CommandContext,
  calendars: Calendars,
  input: SubmitCaseInput,
  fresh: boolean,
): Promise<PreparedSubmission> {
  const p = ctx.principal;
  // Open311 (issue 5): a request comes with an API key of the municipality and registers itself, no one signed in.
  const viaKey = input.channel === 'open311' ? input.apiKey : undefined;
  if (input.channel === 'open311' && viaKey?.municipalityId !== input.municipalityId)
    throw new AppError('FORBIDDEN', 'An Open311 request comes with an API key of this municipality');
  if (!p && !viaKey) throw new AppError('UNAUTHENTICATED', 'Sign in to submit an appeal');
  const self = SELF_CHANNELS.includes(input.channel);
  const moderated = MODERATION_CHANNELS.includes(input.channel);
  if (!self && !viaKey && !moderated && !OPERATOR_CHANNELS.includes(input.channel)) {
    throw invalid('channel', `the channel "${input.channel}" is not accepted here yet`);
  }
  if (moderated && !canModerateFor(p, input.municipalityId)) {
    throw new AppError('FORBIDDEN', 'Only a moderator, head or administrator of this municipality accepts social-media posts');
  }
  if (!self && !viaKey && !moderated && !canRegisterFor(p, input.municipalityId)) {
    throw new AppError('FORBIDDEN', 'Only an operator of this municipality registers calls, letters and visits');
  }
  // The municipality and the category come from the intake's cache; the batch checks they are still current.
  const references = intakeReferences(db);
  const municipality = await references.municipality(input.municipalityId, fresh);
  if (!municipality) throw notFound('Municipality');
  const m = municipality.value;
  const categoryRef = input.categoryId === undefined ? undefined : await references.category(input.categoryId, fresh);
  const category = categoryRef?.value.row;
  if (input.categoryId !== undefined && (!category || category.municipality_id !== m.id || !category.is_active)) {
    throw invalid('categoryId', 'no such active category in this municipality');
  }
  if (input.attributes && !category) throw invalid('attributes', 'answers belong to a category: choose one');
  const attributes = categoryRef ? checkAttributes(categoryRef.value.attributes, input.attributes) : null;
  const regime: CaseRegime = input.regime ?? category?.regime ?? 'appeal';
  const text = input.text.trim();
  if (!text) throw invalid('text', 'write what the appeal is about');
  if ((input.lat === undefined) !== (input.lon === undefined)) throw invalid('lat', 'give both lat and lon, or neither');
  // Issue 5: the point must lie in the municipality's boundary (when it has one); its district may route the case.
  const place =
    input.lat === undefined || input.lon === undefined
      ? { placeId: null, departmentId: undefined }
      : await placeForCase(db, {
          municipalityId: m.id,
          municipalityName: m.name,
          lat: input.lat,
          lon: input.lon,
          categoryId: category?.id ?? null,
        });
  const departmentId = place.departmentId ?? category?.department_id ?? null;

  // The applicant: the signed-in resident, or the contact details the operator entered.
  const applicant =
    self && p
      ? {
          applicant_user_id: p.userId,
          last_name: p.lastName,
          first_name: p.firstName,
          middle_name: p.middleName,
          email: p.email,
          phone: clean(input.phone),
          postal_address: clean(input.postalAddress),
          answer_by: input.answerBy ?? 'cabinet',
          is_anonymous: false,
        }
      : {
          applicant_user_id: null,
          last_name: clean(input.lastName),
          first_name: clean(input.firstName),
          middle_name: clean(input.middleName),
          email: clean(input.email),
          phone: clean(input.phone),
          postal_address: clean(input.postalAddress),
          // An Open311 reporter or a social-media author is answered where they wrote, not by letter.
          answer_by: input.answerBy ?? (clean(input.email) ? 'email' : viaKey || moderated ? null : 'post'),
          is_anonymous: input.isAnonymous ?? false,
        };
  if (self && input.isAnonymous) throw invalid('isAnonymous', 'a signed-in resident’s case is not anonymous (547-ФЗ)');
  if (applicant.answer_by === 'cabinet' && !self) throw invalid('answerBy', 'only a signed-in applicant has a cabinet');
  if (regime === 'appeal') {
    // An unsigned letter is still registered (every appeal is), then left without an answer under ст. 11 ч. 1 —
    // but only when the operator says so: a missing surname is otherwise a form error to fix (ст. 7 ч. 1).
    if (!applicant.is_anonymous && (WRITTEN_CHANNELS.includes(input.channel) || input.channel === 'reception')) {
      if (!applicant.last_name) throw invalid('lastName', 'a written appeal states the surname (59-ФЗ ст. 7 ч. 1)');
      if (applicant.answer_by === 'email' && !applicant.email)
        throw invalid('email', 'the answer goes by e-mail: give the address (59-ФЗ ст. 7 ч. 1)');
      if (applicant.answer_by === 'post' && !applicant.postal_address)
        throw invalid('postalAddress', 'the answer goes by post: give the postal address (59-ФЗ ст. 7 ч. 1)');
    }
  }

  const coSigners = (input.coSigners ?? []).map((x, i) => {
    const lastName = clean(x.lastName);
    const firstName = clean(x.firstName);
    if (!lastName) throw invalid(`coSigners[${i}].lastName`, 'each co-signer gives the surname');
    if (!firstName) throw invalid(`coSigners[${i}].firstName`, 'each co-signer gives the first name');
    return {
      position: i + 1,
      last_name: lastName,
      first_name: firstName,
      middle_name: clean(x.middleName),
      email: clean(x.email),
      postal_address: clean(x.postalAddress),
    };
  });
  if (coSigners.length > 0 && applicant.is_anonymous) {
    throw invalid('coSigners', 'an anonymous case has no co-signers');
  }

  const now = ctx.now;
  const receivedAt = !self && input.receivedAt ? input.receivedAt : now;
  if (receivedAt.getTime() > now.getTime()) throw invalid('receivedAt', 'cannot be in the future');
  const registeredAt = now;
  const calendar = await calendars.calendarFor(m.iso_code);
  const deadlines = deadlinesFor({
    regime,
    receivedAt,
    registeredAt,
    zone: m.time_zone,
    calendar,
    settings: m.deadline_settings,
    category: category?.totko_code ?? null,
  });
  const actorId = p?.userId ?? null;
  const scope = viaKey ? `api_key:${viaKey.id}` : self ? `user:${actorId}` : `staff:${actorId}`;
  const key = input.idempotencyKey ?? null;

  const year = Number(localDate(registeredAt, m.time_zone).slice(0, 4));
  await ensureCaseNumbering(db, m.id, year);
  const registerLate = deadlines.register ? registeredAt.getTime() > deadlines.register.dueAt.getTime() : null;
  const answer = deadlines.answer ?? deadlines.primary;

  // Everything is checked; what remains is written by the intake batch (commands/intake-batch.ts), together with the
  // submissions that arrive while the previous batch commits: one transaction, a few multi-row statements.
  const prepared: PreparedSubmission = {
    ctx,
    municipalityId: m.id,
    prefix: m.case_prefix,
    year,
    idempotency: key ? { scope, key } : null,
    references: categoryRef ? [municipality.reference, categoryRef.reference] : [municipality.reference],
    attachmentIds: input.attachmentIds ?? [],
    card: { timeZone: m.time_zone, categoryName: category?.name ?? null },
    caseValues: (number) => ({
      municipality_id: m.id,
      number,
      regime,
      channel: input.channel,
      kind: input.kind ?? 'statement',
      category_id: category?.id ?? null,
      ...applicant,
      text,
      address: clean(input.address),
      lat: input.lat ?? null,
      lon: input.lon ?? null,
      attributes: attributes && JSON.stringify(attributes),
      media_url: clean(input.mediaUrl),
      department_id: departmentId,
      place_id: place.placeId,
      executor_user_id: null,
      status: 'registered',
      received_at: receivedAt,
      registered_at: registeredAt,
      due_at: deadlines.primary?.dueAt ?? null,
      due_kind: deadlines.primary?.kind ?? null,
      due_rule: deadlines.primary?.rule ?? null,
      due_source: deadlines.primary?.source ?? null,
      answer_due_at: deadlines.answer?.dueAt ?? null,
      deadlines: JSON.stringify(deadlines.stored),
      idempotency_scope: key ? scope : null,
      idempotency_key: key,
      created_at: now,
    }),
    events: (caseId, number) => [
      {
        case_id: caseId,
        at: receivedAt,
        actor_user_id: self ? actorId : null,
        type: 'received',
        data: JSON.stringify({ channel: input.channel }),
        deadline_at: null,
        late: null,
      },
      {
        case_id: caseId,
        at: registeredAt,
        actor_user_id: actorId,
        type: 'registered',
        data: JSON.stringify({
          number,
          departmentId,
          deadlines: deadlines.stored,
          ...(deadlines.register && { rule: deadlines.register.rule, source: deadlines.register.source }),
        }),
        deadline_at: deadlines.register?.dueAt ?? null,
        late: registerLate,
      },
    ],
    coSigners,
    audit: (caseId, number) => ({
      action: 'case.submit',
      entityType: 'case',
      entityId: caseId,
      municipalityId: m.id,
      after: {
        number,
        regime,
        channel: input.channel,
        categoryId: category?.id ?? null,
        coSigners: coSigners.length,
        ...(viaKey && { apiKeyId: viaKey.id }),
      },
    }),
    letter: (number) => {
      const letter = {
        subject: `Обращение ${number} зарегистрировано`,
        text: [
          `${m.name}: ваше обращение зарегистрировано ${formatRuDateTime(registeredAt, m.time_zone)} под номером ${number}.`,
          answer ? `Срок ответа — по ${formatRuDate(answer.dueAt, m.time_zone)} включительно (${answer.source}).` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      };
      return {
        ...letter,
        // By e-mail unless the answer goes by post; the same letter in the applicant's cabinet when they have one.
        email: applicant.email && applicant.answer_by !== 'post' ? applicant.email : null,
        noticeUserId: applicant.applicant_user_id,
      };
    },
  };
  return prepared;
}
