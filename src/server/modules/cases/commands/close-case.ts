import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { ClosureReason } from '../../../core/db/schema.ts';
import { invalid } from '../../../core/http/errors.ts';
import type { CaseAction } from '../actions.ts';
import { storedDue } from '../case-deadlines.ts';
import { type CaseRow, previousAnswersTo } from '../cases.repository.ts';
import { recordStep } from './record-step.ts';

interface Closing {
  name: CaseAction;
  event: string;
  reason: ClosureReason;
  comment: string | null;
  forwardedTo?: string | null;
  /** The deadline the step answers to (`late` is decided against it now). */
  deadline?: (c: CaseRow) => Date | null;
  letter?: (c: CaseRow) => { subject: string; text: string } | null;
  extra?: (c: CaseRow) => Record<string, unknown>;
  check?: (c: CaseRow, trx: Db) => Promise<void> | void;
}

/** Every closing is the same step: status `closed` with its reason, no deadline left in the queue. */
function close(db: Db, ctx: CommandContext, id: number, k: Closing) {
  return recordStep(db, ctx, id, {
    name: k.name,
    event: k.event,
    ...(k.check && { check: k.check }),
    update: () => ({
      status: 'closed',
      closure_reason: k.reason,
      closure_comment: k.comment,
      forwarded_to: k.forwardedTo ?? null,
      closed_at: ctx.now,
      due_at: null,
      due_kind: null,
      due_rule: null,
      due_source: null,
    }),
    data: (c) => ({
      reason: k.reason,
      ...(k.comment && { comment: k.comment }),
      ...(k.forwardedTo && { forwardedTo: k.forwardedTo }),
      ...k.extra?.(c),
      ...(k.letter?.(c) && c.answer_by === 'post' && { post_required: true }),
    }),
    ...(k.deadline && { deadline: k.deadline }),
    ...(k.letter && { letter: k.letter }),
  });
}

const required = (field: string, value: string | undefined, hint: string) => {
  const v = value?.trim();
  if (!v) throw invalid(field, hint);
  return v;
};

/**
 * The applicant withdraws the case (or an operator or a head records their written or spoken request). 59-ФЗ does
 * not regulate withdrawal; the practice of the regulations is to stop the consideration and tell the applicant.
 */
export function withdrawCase(db: Db, ctx: CommandContext, id: number, input: { reason?: string }) {
  const reason = input.reason?.trim() || null;
  return close(db, ctx, id, {
    name: 'withdraw',
    event: 'withdrawn',
    reason: 'withdrawn',
    comment: reason,
    extra: (c) => ({ byApplicant: c.applicant_user_id !== null && c.applicant_user_id === ctx.principal?.userId }),
    letter: (c) => ({
      subject: `Рассмотрение обращения ${c.number} прекращено`,
      text: `Рассмотрение вашего обращения ${c.number} прекращено по вашему заявлению.${reason ? `\nПричина: ${reason}` : ''}`,
    }),
  });
}

/**
 * 59-ФЗ ст. 11 ч. 1: a written appeal without the surname or an address for the answer gets no answer. If it
 * reports an offence being prepared, committed or done, it is forwarded to the competent state body; we hold that to
 * the seven days of ст. 8 ч. 3 (the stored `redirect` deadline).
 */
export function leaveUnanswered(db: Db, ctx: CommandContext, id: number, input: { comment: string; forwardedTo?: string }) {
  const comment = required('comment', input.comment, 'say why the appeal gets no answer');
  const forwardedTo = input.forwardedTo?.trim() || null;
  return close(db, ctx, id, {
    name: 'leave-unanswered',
    event: 'left_unanswered',
    reason: 'anonymous',
    comment,
    forwardedTo,
    ...(forwardedTo && { deadline: (c: CaseRow) => storedDue(c, 'redirect') }),
  });
}

/**
 * 59-ФЗ ст. 11 ч. 3: obscene or offensive language, threats to the life, health or property of an official or their
 * family — the appeal may be left without an answer on the merits, the applicant told that abusing the right is
 * inadmissible. Within the answer period (the law sets no shorter one).
 */
export function closeAbusive(db: Db, ctx: CommandContext, id: number, input: { comment: string }) {
  const comment = required('comment', input.comment, 'quote or describe the language that makes the appeal inadmissible');
  return close(db, ctx, id, {
    name: 'close-abusive',
    event: 'closed_abusive',
    reason: 'abusive',
    comment,
    deadline: (c) => c.answer_due_at,
    letter: (c) => ({
      subject: `Обращение ${c.number} оставлено без ответа по существу`,
      text: [
        `Ваше обращение ${c.number} содержит нецензурные либо оскорбительные выражения или угрозы и оставлено без ответа по существу поставленных в нём вопросов (59-ФЗ ст. 11 ч. 3).`,
        'Сообщаем о недопустимости злоупотребления правом на обращение.',
      ].join('\n'),
    }),
  });
}

/**
 * 59-ФЗ ст. 11 ч. 4: the text cannot be read — no answer, not forwarded; the applicant is told within seven days of
 * registration if the surname and address can be read. Ч. 4.1: the substance cannot be identified — the applicant
 * is told within seven days of registration.
 */
export function notifyUnreadable(
  db: Db,
  ctx: CommandContext,
  id: number,
  input: { comment: string; kind?: 'unreadable' | 'unclear' },
) {
  const comment = required('comment', input.comment, 'say what cannot be read or understood');
  const unclear = input.kind === 'unclear';
  return close(db, ctx, id, {
    name: 'notify-unreadable',
    event: unclear ? 'notified_unclear' : 'notified_unreadable',
    reason: 'unreadable',
    comment,
    extra: () => ({ kind: unclear ? 'unclear' : 'unreadable' }),
    deadline: (c) => storedDue(c, unclear ? 'notice_unclear' : 'notice_unreadable'),
    letter: (c) => ({
      subject: `Обращение ${c.number} не может быть рассмотрено`,
      text: unclear
        ? `Суть предложения, заявления или жалобы в вашем обращении ${c.number} определить невозможно (59-ФЗ ст. 11 ч. 4.1). ${comment}`
        : `Текст вашего обращения ${c.number} не поддаётся прочтению, ответ на него не даётся (59-ФЗ ст. 11 ч. 4). ${comment}`,
    }),
  });
}

/**
 * 59-ФЗ ст. 11 ч. 2: an appeal challenging a court decision is returned within seven days of registration, with an
 * explanation of how that decision is appealed.
 */
export function returnCourtDecision(db: Db, ctx: CommandContext, id: number, input: { comment: string }) {
  const comment = required('comment', input.comment, 'explain how the court decision is appealed');
  return close(db, ctx, id, {
    name: 'return-court-decision',
    event: 'returned_court_decision',
    reason: 'court_decision',
    comment,
    deadline: (c) => storedDue(c, 'court_return'),
    letter: (c) => ({
      subject: `Обращение ${c.number} возвращено`,
      text: [
        `В вашем обращении ${c.number} обжалуется судебное решение; обращение возвращается (59-ФЗ ст. 11 ч. 2).`,
        `Порядок обжалования: ${comment}`,
      ].join('\n'),
    }),
  });
}

/**
 * 59-ФЗ ст. 11 ч. 5: the applicant asks again a question already answered on the merits more than once, with no new
 * arguments — the head may terminate the correspondence, provided the earlier appeals went to this same body; the
 * applicant is told. The earlier answered cases are named and checked (same applicant, this municipality, at least
 * two, answered).
 */
export function terminateCorrespondence(
  db: Db,
  ctx: CommandContext,
  id: number,
  input: { comment: string; previousCaseIds: number[] },
) {
  const comment = required('comment', input.comment, 'say why the appeal brings no new arguments');
  const ids = [...new Set(input.previousCaseIds)];
  if (ids.length < 2) {
    throw invalid('previousCaseIds', 'name at least two earlier cases answered on the merits («неоднократно», ст. 11 ч. 5)');
  }
  let numbers: string[] = [];
  return close(db, ctx, id, {
    name: 'terminate-correspondence',
    event: 'correspondence_terminated',
    reason: 'correspondence_terminated',
    comment,
    check: async (c, trx) => {
      if (ids.includes(c.id)) throw invalid('previousCaseIds', 'name earlier cases, not this one');
      const found = await previousAnswersTo(trx, c, ids);
      const missing = ids.filter((x) => !found.some((f) => f.id === x));
      if (missing.length > 0) {
        throw invalid(
          'previousCaseIds',
          `cases ${missing.join(', ')} are not earlier cases of this applicant in this municipality answered on the merits`,
        );
      }
      numbers = found.map((f) => f.number);
    },
    extra: () => ({ previousCaseIds: ids, previousNumbers: numbers }),
    deadline: (c) => c.answer_due_at,
    letter: (c) => ({
      subject: `Переписка по обращению ${c.number} прекращена`,
      text: [
        `На вопрос вашего обращения ${c.number} вам неоднократно давались ответы по существу (${numbers.join(', ')}), новых доводов или обстоятельств обращение не содержит.`,
        `Принято решение о безосновательности очередного обращения и прекращении переписки по данному вопросу (59-ФЗ ст. 11 ч. 5). ${comment}`,
      ].join('\n'),
    }),
  });
}
