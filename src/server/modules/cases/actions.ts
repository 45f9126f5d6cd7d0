import type { Principal } from '../../core/auth/principal.ts';
import { type CaseRow, OPEN_STATUSES } from './cases.repository.ts';
import { clusterBlock } from './cluster-rules.ts';
import { canAssignCase, canHeadCase, isCaseApplicant, isCaseExecutor } from './permissions.ts';

/** Whether an appeal has what 59-ФЗ ст. 11 ч. 1 needs for an answer: the surname and an address for the answer. */
export const lacksAddressee = (c: CaseRow) =>
  c.is_anonymous ||
  !c.last_name ||
  (c.answer_by === 'post' && !c.postal_address) ||
  (c.answer_by === 'email' && !c.email) ||
  (c.answer_by === 'cabinet' && c.applicant_user_id === null);

export interface ActionRule {
  /** Statuses the action may start from (409 otherwise, naming the current and the needed status). */
  from: readonly string[];
  /** 403 unless the caller may do it (checked after the 404 for a case outside their scope). */
  allowed: (p: Principal, c: CaseRow) => boolean;
  forbidden: string;
  /** A rule of the case itself that makes the action impossible now: the reason (409), or null when it applies. */
  blockedBy?: (c: CaseRow) => string | null;
}

const appealOnly = (c: CaseRow) =>
  c.regime === 'appeal' ? null : 'Only an appeal under 59-ФЗ takes this path (ст. 11); a message or an incident does not';
const open = OPEN_STATUSES;
const notYetDrafted = ['registered', 'assigned', 'in_work'] as const;

/**
 * Every workflow action on a case, by its name in the API (`POST /cases/{id}/{name}`): the one place that says who
 * may do what from which status. The commands take their rule from here, and a case card lists the actions its
 * reader may take now (`allowedActions`), so the pages show exactly the buttons that will work.
 */
export const CASE_ACTIONS = {
  assign: {
    from: notYetDrafted,
    allowed: (p, c) => canAssignCase(p, c.municipality_id),
    forbidden: 'Only a head or an operator of this municipality assigns cases',
  },
  start: {
    from: ['assigned'],
    allowed: (p, c) => isCaseExecutor(p, c),
    forbidden: 'Only the executor the case is assigned to takes it into work',
  },
  'draft-answer': {
    from: ['in_work'],
    allowed: (p, c) => isCaseExecutor(p, c),
    forbidden: 'Only the executor the case is assigned to drafts its answer',
  },
  'approve-answer': {
    from: ['answer_drafted'],
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality approves answers',
  },
  'return-draft': {
    from: ['answer_drafted'],
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality returns draft answers',
  },
  extend: {
    from: open,
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality extends the answer period',
    blockedBy: (c) =>
      c.regime !== 'appeal'
        ? 'Only an appeal under 59-ФЗ has its period extended'
        : c.extension_count > 0
          ? 'The answer period has already been extended; 59-ФЗ ст. 12 ч. 2 allows it once'
          : null,
  },
  redirect: {
    from: notYetDrafted,
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality redirects cases',
  },
  rate: {
    from: ['answered'],
    allowed: (p, c) => isCaseApplicant(p, c),
    forbidden: 'Only the applicant rates the answer',
  },
  reopen: {
    from: ['answered', 'rated'],
    allowed: (p, c) => isCaseApplicant(p, c),
    forbidden: 'Only the applicant asks for the case to be reopened',
  },
  // The applicant withdraws; an operator or a head records a withdrawal that came on paper or by phone.
  withdraw: {
    from: open,
    allowed: (p, c) => isCaseApplicant(p, c) || canAssignCase(p, c.municipality_id),
    forbidden: 'Only the applicant (or an operator or a head recording their request) withdraws a case',
  },
  // 59-ФЗ ст. 11 ч. 1: no surname or no address for the answer → no answer (forwarded if it reports a crime).
  'leave-unanswered': {
    from: open,
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality leaves an appeal without an answer',
    blockedBy: (c) =>
      appealOnly(c) ??
      (lacksAddressee(c)
        ? null
        : 'The appeal states the surname and an address for the answer, so it must be answered (59-ФЗ ст. 11 ч. 1)'),
  },
  // 59-ФЗ ст. 11 ч. 3: obscene or threatening language.
  'close-abusive': {
    from: open,
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality leaves an appeal without an answer on the merits',
    blockedBy: appealOnly,
  },
  // 59-ФЗ ст. 11 ч. 4 and 4.1: unreadable text, or no identifiable substance.
  'notify-unreadable': {
    from: open,
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality closes an unreadable appeal',
    blockedBy: appealOnly,
  },
  // 59-ФЗ ст. 11 ч. 2: a court decision is challenged.
  'return-court-decision': {
    from: open,
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality returns an appeal challenging a court decision',
    blockedBy: appealOnly,
  },
  // 59-ФЗ ст. 11 ч. 5: a repeated appeal with no new arguments.
  'terminate-correspondence': {
    from: open,
    allowed: (p, c) => canHeadCase(p, c.municipality_id),
    forbidden: 'Only a head of this municipality terminates correspondence with an applicant',
    blockedBy: (c) =>
      appealOnly(c) ?? (lacksAddressee(c) ? 'An anonymous appeal is left without an answer (ст. 11 ч. 1), not terminated' : null),
  },
  convert: {
    from: notYetDrafted,
    allowed: (p, c) => canAssignCase(p, c.municipality_id),
    forbidden: 'Only a head or an operator of this municipality changes a case’s regime',
  },
  // Duplicates (clusters.routes.ts, body { caseIds }): this case becomes the primary of a cluster the others join.
  merge: {
    from: open,
    allowed: (p, c) => canAssignCase(p, c.municipality_id),
    forbidden: 'Only a head or an operator of this municipality merges cases',
    blockedBy: (c) =>
      c.cluster_primary_id !== null ? `${c.number} is in the cluster of ${c.cluster_primary_number}; merge into that case` : null,
  },
  // A member merged by mistake leaves its cluster.
  unmerge: {
    from: open,
    allowed: (p, c) => canAssignCase(p, c.municipality_id),
    forbidden: 'Only a head or an operator of this municipality changes clusters',
    blockedBy: (c) => (c.cluster_primary_id === null ? `${c.number} is not a member of a cluster` : null),
  },
  // Issue 5: a message or an incident (a map report) is answered by fixing it, with an after-photo (mark-fixed.ts).
  'mark-fixed': {
    from: open,
    allowed: (p, c) => isCaseExecutor(p, c) || canHeadCase(p, c.municipality_id),
    forbidden: 'Only the executor the case is assigned to or a head of this municipality marks it fixed',
    blockedBy: (c) =>
      c.regime === 'appeal' ? 'An appeal under 59-ФЗ gets a written answer (draft and approve), not “fixed”' : null,
  },
} satisfies Record<string, ActionRule>;

export type CaseAction = keyof typeof CASE_ACTIONS;

/** The actions `p` may take on `c` now: exactly those whose request would pass the status, role and case rules. */
export function allowedActions(p: Principal | undefined, c: CaseRow): CaseAction[] {
  if (!p) return [];
  return (Object.entries(CASE_ACTIONS) as Array<[CaseAction, ActionRule]>)
    .filter(([name, a]) => a.from.includes(c.status) && a.allowed(p, c) && !a.blockedBy?.(c) && !clusterBlock(c, name))
    .map(([name]) => name);
}
