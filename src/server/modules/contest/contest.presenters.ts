import type { CaseAttachment as ApplicationAttachment } from '../attachments/index.ts';
import type { Figure } from './commands/applications.ts';
import type { ApplicationRow, AssignmentRow, CategoryRow, ContestRow, MemberRow } from './contest.repository.ts';
import {
  APPLICATION_STATUS_NAMES,
  CONTEST_STATUS_NAMES,
  fullName,
  MEMBER_ROLE_NAMES,
  METHOD_NAMES,
  SECTION_NAMES,
  STAGE_NAMES,
} from './contest-ru.ts';
import type { Tally } from './tally.ts';

// Every field returned, by name, with Russian labels beside the codes so a page needs no dictionary of its own.

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentContest(c: ContestRow) {
  return {
    id: c.id,
    regionId: c.region_id,
    regionName: c.region_name,
    year: c.year,
    stage: c.stage,
    stageName: STAGE_NAMES[c.stage],
    title: c.title,
    nomination: c.nomination,
    organizer: c.organizer,
    regulation: c.regulation,
    applicationsFrom: c.applications_from.toISOString(),
    applicationsTo: c.applications_to.toISOString(),
    resubmitTo: iso(c.resubmit_to),
    reviewTo: iso(c.review_to),
    meetingAt: iso(c.meeting_at),
    meetingPlace: c.meeting_place,
    agenda: c.agenda as string[],
    method: c.method,
    methodName: METHOD_NAMES[c.method],
    criteria: c.criteria as Array<{ code: string; name: string; weight: number }>,
    recommendTop: c.recommend_top,
    status: c.status,
    statusName: CONTEST_STATUS_NAMES[c.status],
    complianceNote: c.compliance_note,
    protocolNumber: c.protocol_number,
    approvedOn: c.approved_on,
    approverPosition: c.approver_position,
    approverName: c.approver_name,
    publishedAt: iso(c.published_at),
    timeZone: c.time_zone,
  };
}

export const presentCategory = (k: CategoryRow) => ({
  id: k.id,
  code: k.code,
  name: k.name,
  label: `${k.code} категория – ${k.name}`,
  municipalityTypes: k.municipality_types,
  tiebreak: presentTieBreak(k.tiebreak as StoredTieBreak | null),
});

/** The tie-break as breakTie stores it (JSON). */
interface StoredTieBreak {
  order: number[];
  basis: string;
  recordedBy?: number | null;
  recordedAt: string;
}
const presentTieBreak = (t: StoredTieBreak | null) =>
  t && { order: t.order, basis: t.basis, recordedBy: t.recordedBy ?? null, recordedAt: t.recordedAt };

/** A figure as the application stores it (JSON; see commands/applications.ts). */
export const presentFigure = (f: Figure) => ({
  key: f.key ?? null,
  label: f.label,
  value: f.value ?? null,
  unit: f.unit ?? '',
  definition: f.definition ?? '',
  source: f.source ?? '',
  period: f.period ? { from: f.period.from, to: f.period.to } : null,
  pulledValue: f.pulledValue ?? null,
  edited: f.edited ?? false,
});

export const presentMember = (m: MemberRow) => ({
  id: m.id,
  role: m.role,
  roleName: MEMBER_ROLE_NAMES[m.role],
  name: fullName(m),
  lastName: m.last_name,
  firstName: m.first_name,
  middleName: m.middle_name,
  position: m.position,
  userId: m.user_id,
  present: m.present,
});

export const presentAssignment = (a: AssignmentRow) => ({ id: a.id, text: a.text, responsible: a.responsible, dueOn: a.due_on });

/** An application in a list: without the form's texts and figures. */
export function presentApplicationBrief(a: ApplicationRow) {
  return {
    id: a.id,
    contestId: a.contest_id,
    municipalityId: a.municipality_id,
    municipalityName: a.municipality_name,
    applicantName: a.applicant_name,
    categoryId: a.category_id,
    status: a.status,
    statusName: APPLICATION_STATUS_NAMES[a.status],
    remarks: a.remarks,
    submittedAt: iso(a.submitted_at),
    checkedAt: iso(a.checked_at),
    admittedAt: iso(a.admitted_at),
    place: a.place,
    recommended: a.recommended,
    updatedAt: a.updated_at.toISOString(),
  };
}

/** An application with its form: the sections, their names, the figures, the attachments. */
export function presentApplication(a: ApplicationRow, attachments: ApplicationAttachment[]) {
  return {
    ...presentApplicationBrief(a),
    sections: a.sections as Record<string, string>,
    sectionNames: SECTION_NAMES,
    figures: (a.figures as Figure[]).map(presentFigure),
    attachmentIds: attachments.map((f) => f.id),
    attachments: attachments.map((f) => ({
      id: f.id,
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.size,
      url: f.url,
    })),
  };
}

export function presentTally(k: CategoryRow, t: Tally, names: Map<number, string>) {
  return {
    categoryId: k.id,
    label: `${k.code} категория – ${k.name}`,
    method: t.method,
    empty: t.empty,
    note: t.empty
      ? 'заявок не поступило; места не распределялись'
      : t.unresolved.length
        ? 'равенство результатов: требуется решение (например, решающий голос председателя)'
        : null,
    rows: t.rows.map((r) => ({
      applicationId: r.applicationId,
      applicantName: names.get(r.applicationId) ?? '',
      score: r.score,
      borda: r.borda,
      ballots: r.ballots,
      place: r.place,
      tiedWith: r.tiedWith,
      byTieBreak: r.byTieBreak,
    })),
    unresolved: t.unresolved,
  };
}
