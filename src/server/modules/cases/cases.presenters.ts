import type { Selectable } from 'kysely';
import type { CaseCosignerTable, CaseEventTable, CategoryTable } from '../../core/db/schema.ts';
import { formatInstant } from '../../core/time/index.ts';
import type { StoredDeadline } from './case-deadlines.ts';
import type { CaseRow } from './cases.repository.ts';

const fullName = (last: string | null, first: string | null) => [last, first].filter(Boolean).join(' ') || null;
const at = (d: Date | null, zone: string) => (d ? formatInstant(d, zone) : null);

/** Queue row: no personal data beyond the applicant's name (staff see it in the card, where the read is audited). */
export function presentCaseSummary(c: CaseRow) {
  const z = c.time_zone;
  const stored = (c.deadlines ?? []) as StoredDeadline[];
  const answer = stored.find((d) => d.kind === (c.extension_count > 0 ? 'extended_answer' : 'answer'));
  return {
    id: c.id,
    number: c.number,
    municipalityId: c.municipality_id,
    regime: c.regime,
    channel: c.channel,
    kind: c.kind,
    categoryId: c.category_id,
    categoryName: c.category_name,
    status: c.status,
    text: c.text,
    address: c.address,
    departmentId: c.department_id,
    executorUserId: c.executor_user_id,
    // A member of staff, named as answers are signed.
    executorName: fullName(c.executor_last_name, c.executor_first_name),
    receivedAt: at(c.received_at, z) as string,
    registeredAt: at(c.registered_at, z),
    due:
      c.due_at && c.due_kind
        ? { kind: c.due_kind, dueAt: at(c.due_at, z) as string, rule: c.due_rule ?? '', source: c.due_source ?? '' }
        : null,
    answerDue:
      c.answer_due_at && answer
        ? { kind: answer.kind, dueAt: at(c.answer_due_at, z) as string, rule: answer.rule, source: answer.source }
        : null,
    clusterPrimaryCaseId: c.cluster_primary_id,
    hasLocation: c.lat !== null && c.lon !== null,
  };
}

/** Timeline events whose data is for staff only (a head's comment to the executor). */
const STAFF_ONLY_DATA = new Set(['draft_returned']);

/** A file on the case as the card lists it (read-case.ts puts them on the row, from the attachments module). */
export interface CardAttachment {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
}

export interface CardExtras {
  /** What the reader may do now (CASE_ACTIONS filtered for them). */
  actions?: readonly string[];
  coSigners?: ReadonlyArray<
    Pick<Selectable<CaseCosignerTable>, 'last_name' | 'first_name' | 'middle_name' | 'email' | 'postal_address'>
  >;
  /** The cluster of duplicates the case is the primary or a member of (read-case.ts). */
  cluster?: {
    primaryCaseId: number;
    primaryNumber: string;
    members: Array<{ id: number; number: string; status: string }>;
  } | null;
}

/** The card; `staff` = the reader works with the municipality's cases (the applicant does not see the draft). */
export function presentCase(
  c: CaseRow & { attachments?: readonly CardAttachment[] },
  events: Array<Selectable<CaseEventTable> & { actor_last_name: string | null; actor_first_name: string | null }>,
  staff = true,
  extras: CardExtras = {},
) {
  const z = c.time_zone;
  return {
    ...presentCaseSummary(c),
    applicant: {
      userId: c.applicant_user_id,
      isAnonymous: c.is_anonymous,
      lastName: c.last_name,
      firstName: c.first_name,
      middleName: c.middle_name,
      email: c.email,
      phone: c.phone,
      postalAddress: c.postal_address,
      answerBy: c.answer_by,
    },
    lat: c.lat,
    lon: c.lon,
    mediaUrl: c.media_url,
    attributes: (c.attributes ?? {}) as Record<string, string | string[]>,
    deadlines: (c.deadlines ?? []) as StoredDeadline[],
    answer:
      c.answer_text !== null && c.answered_at
        ? { text: c.answer_text, result: c.answer_result, answeredAt: at(c.answered_at, z) as string }
        : null,
    draft:
      staff && c.draft_text !== null && c.status === 'answer_drafted' ? { text: c.draft_text, result: c.draft_result } : null,
    extensionCount: c.extension_count,
    attachments: [...(c.attachments ?? [])],
    allowedActions: [...(extras.actions ?? [])],
    closure:
      c.closure_reason && c.closed_at
        ? {
            reason: c.closure_reason,
            comment: c.closure_comment,
            forwardedTo: c.forwarded_to,
            closedAt: at(c.closed_at, z) as string,
          }
        : null,
    coSigners: (extras.coSigners ?? []).map((s) => ({
      lastName: s.last_name,
      firstName: s.first_name,
      middleName: s.middle_name,
      email: staff ? s.email : null,
      postalAddress: staff ? s.postal_address : null,
    })),
    cluster: extras.cluster ?? null,
    timeline: events.map((e) => ({
      id: e.id,
      at: at(e.at, z) as string,
      type: e.type,
      actorUserId: e.actor_user_id,
      // Staff see who did each step; the applicant sees names only of their own steps (a joiner is someone else).
      actorName:
        staff || (e.actor_user_id !== null && e.actor_user_id === c.applicant_user_id)
          ? fullName(e.actor_last_name, e.actor_first_name)
          : null,
      data: (staff || !STAFF_ONLY_DATA.has(e.type) ? (e.data ?? {}) : {}) as Record<string, unknown>,
      deadlineAt: at(e.deadline_at, z),
      late: e.late,
    })),
  };
}

export function presentCategory(c: Selectable<CategoryTable>) {
  return {
    id: c.id,
    municipalityId: c.municipality_id,
    name: c.name,
    totkoCode: c.totko_code,
    regime: c.regime,
    departmentId: c.department_id,
    isActive: c.is_active,
  };
}
