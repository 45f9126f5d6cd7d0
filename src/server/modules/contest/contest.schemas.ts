import { Type } from 'typebox';
import { MUNICIPALITY_TYPES } from '../../../shared/roles.ts';
import { DateTime, StringEnum } from '../../core/http/schemas.ts';
import { CaseAttachmentOut } from '../attachments/index.ts';
import { APPLICATION_STATUSES, CONTEST_STATUSES, MEMBER_ROLES, SECTIONS } from './contest-ru.ts';

// The contest's response bodies (issue 8), field by field as contest.presenters.ts and commands/read-contest.ts
// return them. Fastify serializes with these: a field missing here is dropped from the response.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const LocalDate = Type.String({ description: 'YYYY-MM-DD' });

export const STAGES = ['regional', 'federal'] as const;
export const METHODS = ['ranking', 'criteria'] as const;

export const CriterionOut = Type.Object({ code: Type.String(), name: Type.String(), weight: Type.Number() });

export const ContestOut = Type.Object({
  id: Type.Integer(),
  regionId: Type.Integer(),
  regionName: Type.String(),
  year: Type.Integer(),
  stage: StringEnum(STAGES),
  stageName: Type.String(),
  title: Type.String(),
  nomination: Type.String(),
  organizer: Type.String(),
  regulation: Type.String(),
  applicationsFrom: DateTime,
  applicationsTo: DateTime,
  resubmitTo: Nullable(DateTime),
  reviewTo: Nullable(DateTime),
  meetingAt: Nullable(DateTime),
  meetingPlace: Type.String(),
  agenda: Type.Array(Type.String()),
  method: StringEnum(METHODS),
  methodName: Type.String(),
  criteria: Type.Array(CriterionOut),
  recommendTop: Type.Integer(),
  status: StringEnum(CONTEST_STATUSES),
  statusName: Type.String(),
  complianceNote: Type.String(),
  protocolNumber: Nullable(Type.String()),
  approvedOn: Nullable(LocalDate),
  approverPosition: Nullable(Type.String()),
  approverName: Nullable(Type.String()),
  publishedAt: Nullable(DateTime),
  timeZone: Type.String(),
});

export const TieBreakOut = Type.Object({
  /** The tied applications in the order decided, best first. */
  order: Type.Array(Type.Integer()),
  basis: Type.String(),
  recordedBy: Nullable(Type.Integer()),
  recordedAt: DateTime,
});

export const CategoryOut = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  label: Type.String(),
  municipalityTypes: Type.Array(StringEnum(MUNICIPALITY_TYPES)),
  tiebreak: Nullable(TieBreakOut),
  /** Applications of the category past the draft. */
  applicationsReceived: Type.Integer(),
});

export const MemberOut = Type.Object({
  id: Type.Integer(),
  role: StringEnum(MEMBER_ROLES),
  roleName: Type.String(),
  name: Type.String(),
  lastName: Type.String(),
  firstName: Type.String(),
  middleName: Nullable(Type.String()),
  position: Type.String(),
  userId: Nullable(Type.Integer()),
  /** Attendance at the meeting; null until recorded. */
  present: Nullable(Type.Boolean()),
});

export const AssignmentOut = Type.Object({
  id: Type.Integer(),
  text: Type.String(),
  responsible: Type.String(),
  dueOn: Nullable(LocalDate),
});

/** A figure of the application's results: typed in, or pulled from analytics with its source and definition. */
export const FigureOut = Type.Object({
  key: Nullable(Type.String()),
  label: Type.String(),
  value: Nullable(Type.Number()),
  unit: Type.String(),
  definition: Type.String(),
  source: Type.String(),
  /** The analytics period of a pulled figure (null for a typed one). */
  period: Nullable(Type.Object({ from: LocalDate, to: LocalDate })),
  /** The value analytics gave (null for a typed figure). */
  pulledValue: Nullable(Type.Number()),
  /** A pulled figure whose value was changed afterwards. */
  edited: Type.Boolean(),
});

const applicationFields = {
  id: Type.Integer(),
  contestId: Type.Integer(),
  municipalityId: Type.Integer(),
  municipalityName: Type.String(),
  applicantName: Type.String(),
  categoryId: Type.Integer(),
  status: StringEnum(APPLICATION_STATUSES),
  statusName: Type.String(),
  remarks: Nullable(Type.String()),
  submittedAt: Nullable(DateTime),
  checkedAt: Nullable(DateTime),
  admittedAt: Nullable(DateTime),
  place: Nullable(Type.Integer()),
  recommended: Type.Boolean(),
  updatedAt: DateTime,
};

/** An application in a list: without the form's texts and figures. */
export const ApplicationBriefOut = Type.Object(applicationFields);

/** An application with the form: its sections (by key), their names, the figures and the attachments. */
export const ApplicationOut = Type.Object({
  ...applicationFields,
  sections: Type.Record(Type.String(), Type.String()),
  sectionNames: Type.Object(Object.fromEntries(SECTIONS.map((s) => [s, Type.String()]))),
  figures: Type.Array(FigureOut),
  attachmentIds: Type.Array(Type.Integer()),
  /** The files linked to the application (the brochure-presentation …), in the order they were linked. */
  attachments: Type.Array(CaseAttachmentOut),
});

export const TallyRowOut = Type.Object({
  applicationId: Type.Integer(),
  applicantName: Type.String(),
  /** Ranking: the sum of ranks (lower is better). Criteria: the mean weighted score (higher is better). */
  score: Type.Number(),
  /** Ranking only: Borda points. */
  borda: Nullable(Type.Number()),
  ballots: Type.Integer(),
  /** Null while the application is in an unresolved tie. */
  place: Nullable(Type.Integer()),
  tiedWith: Type.Array(Type.Integer()),
  byTieBreak: Type.Boolean(),
});

export const TallyOut = Type.Object({
  categoryId: Type.Integer(),
  label: Type.String(),
  method: StringEnum(METHODS),
  empty: Type.Boolean(),
  note: Nullable(Type.String()),
  rows: Type.Array(TallyRowOut),
  /** Groups of applications with equal scores that no recorded tie-break orders. */
  unresolved: Type.Array(Type.Array(Type.Integer())),
});

/** GET /contests/{id} and the setup routes: the contest as a page shows it. */
export const ContestViewOut = Type.Object({
  contest: ContestOut,
  categories: Type.Array(CategoryOut),
  commission: Type.Array(MemberOut),
  assignments: Type.Array(AssignmentOut),
  applications: Type.Array(ApplicationBriefOut),
  /** The caller's seat on the commission, and the categories they have voted in. */
  mySeat: Nullable(Type.Object({ memberId: Type.Integer(), votedCategoryIds: Type.Array(Type.Integer()) })),
  /** Who has voted in which category (the region and the commission; empty for a municipality). */
  ballots: Type.Array(Type.Object({ memberId: Type.Integer(), categoryIds: Type.Array(Type.Integer()) })),
  tally: Type.Array(TallyOut),
});

export const ContestListOut = Type.Object({ items: Type.Array(ContestOut) });
export const ApplicationListOut = Type.Object({ items: Type.Array(ApplicationBriefOut) });

/** The published results of a contest: places and recommendations only. */
export const PublicResultsOut = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  title: Type.String(),
  nomination: Type.String(),
  regionName: Type.String(),
  publishedAt: Nullable(DateTime),
  protocolNumber: Nullable(Type.String()),
  approvedOn: Nullable(LocalDate),
  categories: Type.Array(
    Type.Object({
      code: Type.String(),
      label: Type.String(),
      note: Nullable(Type.String()),
      winners: Type.Array(
        Type.Object({ place: Nullable(Type.Integer()), applicantName: Type.String(), recommended: Type.Boolean() }),
      ),
    }),
  ),
});

export const PublicResultsListOut = Type.Object({ items: Type.Array(PublicResultsOut) });
