/**
 * The facts of one case for the figures (README.md in this folder): a pure function of the case row, its timeline
 * and the instant it is computed at. The refresh (commands/refresh-analytics.ts) stores them in `analytics_case`
 * and sums them into `analytics_daily`; the recount (recount.ts) recomputes them from scratch the same way.
 */
import type { AnalyticsCaseState, CaseChannel, CaseRegime } from '../../core/db/schema.ts';
import { localDate } from '../../core/time/index.ts';

/** Statuses in which a case waits for its answer (as the cases module's OPEN_STATUSES). */
export const OPEN_STATUSES: readonly string[] = ['registered', 'assigned', 'in_work', 'answer_drafted'];

/**
 * The first of these steps is the case's first reaction: a staff member took it up (assigned it, took it into work,
 * drafted or gave the answer, redirected it, or closed it under 59-ФЗ ст. 11), or — an incident from social media —
 * replied to the post (`first_reaction`, recorded by the monitoring module when the reply is published or confirmed).
 * Registration is not a reaction (a web submission registers itself), nor is a withdrawal (the applicant's step) or a
 * merge into a cluster.
 */
export const REACTION_EVENTS: readonly string[] = [
  'first_reaction',
  'assigned',
  'in_work',
  'answer_drafted',
  'answered',
  'redirected',
  'left_unanswered',
  'closed_abusive',
  'notified_unreadable',
  'notified_unclear',
  'returned_court_decision',
  'correspondence_terminated',
];

/** The steps that close a case without an answer on the merits (its status becomes `closed`). */
export const CLOSING_EVENTS: readonly string[] = [
  'withdrawn',
  'left_unanswered',
  'closed_abusive',
  'notified_unreadable',
  'notified_unclear',
  'returned_court_decision',
  'correspondence_terminated',
];

/** The timeline events the facts read (the refresh loads only these). */
export const FACT_EVENTS: readonly string[] = [
  ...new Set([...REACTION_EVENTS, ...CLOSING_EVENTS, 'rated', 'reopened', 'converted']),
];

/** A rating of 4 or 5 (of 1–5) is positive. */
export const POSITIVE_RATING = 4;

/** The heat map's grid step in degrees (about 550 m north–south, 300 m east–west at Кемерово's latitude). */
export const CELL_DEGREES = 0.005;

export interface FactEvent {
  type: string;
  atMs: number;
  late: boolean | null;
  /** `rated` events: the rating 1–5. */
  rating: number | null;
}

export interface FactCase {
  id: number;
  municipalityId: number;
  regime: CaseRegime;
  channel: CaseChannel;
  categoryId: number | null;
  departmentId: number | null;
  placeId: number | null;
  executorUserId: number | null;
  status: string;
  receivedAtMs: number;
  /** The deadline in force while open (the queue's `due_at`). */
  dueAtMs: number | null;
  /** The stored first-reaction deadline of an incident (`case.deadlines`, kind first_reaction). */
  firstReactionDueMs: number | null;
  answeredAtMs: number | null;
  lat: number | null;
  lon: number | null;
  /** `u<account id>` or `e<lower e-mail>`: the same applicant (repeat appeals). */
  applicantKey: string | null;
  /** When the previous case of the same applicant in the same category was received, if any. */
  prevSameAtMs: number | null;
  /** The case's timeline (only FACT_EVENTS are needed), in order. */
  events: readonly FactEvent[];
}

export interface FactEnv {
  /** The municipality's IANA zone (days of receipt, repeats). */
  zone: string;
  /** Working milliseconds between two instants for a case of `regime`, or null outside the calendar's years. */
  workMs: (fromMs: number, toMs: number, regime: CaseRegime) => number | null;
  /** The instant the facts are computed at: an open case past its deadline by then is overdue (and late). */
  nowMs: number;
}

export interface Facts {
  caseId: number;
  municipalityId: number;
  receivedAtMs: number;
  receivedDay: string;
  regime: CaseRegime;
  channel: CaseChannel;
  categoryId: number | null;
  departmentId: number | null;
  placeId: number | null;
  executorUserId: number | null;
  state: AnalyticsCaseState;
  dueAtMs: number | null;
  overdue: boolean;
  /** true: decided on time; false: decided late (or open past its deadline); null: not decided / no deadline. */
  onTime: boolean | null;
  reactionAtMs: number | null;
  reactionMs: number | null;
  reactionWorkMs: number | null;
  answeredAtMs: number | null;
  resolutionMs: number | null;
  resolutionWorkMs: number | null;
  everAnswered: boolean;
  reopened: boolean;
  redirected: boolean;
  converted: boolean;
  rating: number | null;
  applicantKey: string | null;
  prevSameDay: string | null;
  cellLat: number | null;
  cellLon: number | null;
}

export function stateOf(status: string): AnalyticsCaseState {
  if (OPEN_STATUSES.includes(status)) return 'open';
  if (status === 'answered' || status === 'rated') return 'answered';
  if (status === 'redirected') return 'redirected';
  return 'closed';
}

const lastOf = (events: readonly FactEvent[], types: readonly string[]) => {
  for (let i = events.length - 1; i >= 0; i--) if (types.includes(events[i]!.type)) return events[i]!;
  return undefined;
};

/** The facts of one case at `env.nowMs`. */
export function caseFacts(c: FactCase, env: FactEnv): Facts {
  const state = stateOf(c.status);
  const events = c.events;
  const reaction = events.find((e) => REACTION_EVENTS.includes(e.type));
  const reactionAtMs = reaction ? Math.max(reaction.atMs, c.receivedAtMs) : null;
  const answeredAtMs = state === 'answered' ? (c.answeredAtMs ?? lastOf(events, ['answered'])?.atMs ?? null) : null;
  const dueAtMs = state === 'open' ? c.dueAtMs : null;
  const overdue = dueAtMs !== null && dueAtMs < env.nowMs;
  const rated = lastOf(events, ['rated']);
  return {
    caseId: c.id,
    municipalityId: c.municipalityId,
    receivedAtMs: c.receivedAtMs,
    receivedDay: localDate(new Date(c.receivedAtMs), env.zone),
    regime: c.regime,
    channel: c.channel,
    categoryId: c.categoryId,
    departmentId: c.departmentId,
    placeId: c.placeId,
    executorUserId: c.executorUserId,
    state,
    dueAtMs,
    overdue,
    onTime: onTimeOf(c, state, reactionAtMs, env.nowMs),
    reactionAtMs,
    reactionMs: reactionAtMs === null ? null : reactionAtMs - c.receivedAtMs,
    reactionWorkMs: reactionAtMs === null ? null : env.workMs(c.receivedAtMs, reactionAtMs, c.regime),
    answeredAtMs,
    resolutionMs: answeredAtMs === null ? null : Math.max(0, answeredAtMs - c.receivedAtMs),
    resolutionWorkMs: answeredAtMs === null ? null : env.workMs(c.receivedAtMs, Math.max(answeredAtMs, c.receivedAtMs), c.regime),
    everAnswered: events.some((e) => e.type === 'answered'),
    reopened: events.some((e) => e.type === 'reopened'),
    redirected: state === 'redirected',
    converted: events.some((e) => e.type === 'converted'),
    rating: rated?.rating ?? null,
    applicantKey: c.applicantKey,
    prevSameDay: c.prevSameAtMs === null ? null : localDate(new Date(c.prevSameAtMs), env.zone),
    cellLat: c.lat === null ? null : Math.floor(c.lat / CELL_DEGREES + 1e-9),
    cellLon: c.lon === null ? null : Math.floor(c.lon / CELL_DEGREES + 1e-9),
  };
}

/**
 * On time, per regime (README.md "On time"). Whether a step was late is decided and stored when it happens
 * (`case_event.late`); these facts read it, never recompute it. An incident's clock is its first reaction, whose
 * step stores no lateness: it is compared with the first-reaction deadline stored at registration.
 */
function onTimeOf(c: FactCase, state: AnalyticsCaseState, reactionAtMs: number | null, nowMs: number): boolean | null {
  if (c.regime === 'incident') {
    const due = c.firstReactionDueMs;
    if (due === null) return null;
    if (reactionAtMs !== null) return reactionAtMs <= due;
    return state === 'open' && due < nowMs ? false : null;
  }
  const decidedBy = (types: readonly string[]) => {
    const late = lastOf(c.events, types)?.late;
    return late === undefined || late === null ? null : !late;
  };
  switch (state) {
    case 'answered':
      return decidedBy(['answered']);
    case 'redirected':
      return decidedBy(['redirected']);
    case 'closed':
      return decidedBy(CLOSING_EVENTS);
    default:
      return c.dueAtMs !== null && c.dueAtMs < nowMs ? false : null;
  }
}

// ---- The rollup: what one case adds to analytics_daily -------------------------------------------------------

export const DIMS = ['total', 'channel', 'regime', 'category', 'department', 'district'] as const;
export type Dim = (typeof DIMS)[number];

export const MEASURES = [
  'received',
  'answered',
  'open',
  'overdue',
  'on_time',
  'late',
  'redirected',
  'closed',
  'ever_answered',
  'reopened',
  'converted',
  'rated',
  'rated_positive',
  'reaction_n',
  'reaction_ms',
  'reaction_work_n',
  'reaction_work_ms',
  'resolution_n',
  'resolution_ms',
  'resolution_work_n',
  'resolution_work_ms',
] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Record<Measure, number>;

export const zeroMeasures = (): Measures => Object.fromEntries(MEASURES.map((m) => [m, 0])) as Measures;

const b = (x: boolean) => (x ? 1 : 0);

/** What the case adds to each measure of the rows it belongs to. */
export function measuresOf(f: Facts): Measures {
  return {
    received: 1,
    answered: b(f.state === 'answered'),
    open: b(f.state === 'open'),
    overdue: b(f.overdue),
    on_time: b(f.onTime === true),
    late: b(f.onTime === false),
    redirected: b(f.redirected),
    closed: b(f.state === 'closed'),
    ever_answered: b(f.everAnswered),
    reopened: b(f.reopened),
    converted: b(f.converted),
    rated: b(f.rating !== null),
    rated_positive: b(f.rating !== null && f.rating >= POSITIVE_RATING),
    reaction_n: b(f.reactionMs !== null),
    reaction_ms: f.reactionMs ?? 0,
    reaction_work_n: b(f.reactionWorkMs !== null),
    reaction_work_ms: f.reactionWorkMs ?? 0,
    resolution_n: b(f.resolutionMs !== null),
    resolution_ms: f.resolutionMs ?? 0,
    resolution_work_n: b(f.resolutionWorkMs !== null),
    resolution_work_ms: f.resolutionWorkMs ?? 0,
  };
}

/** The dimension values of a case: its rows in analytics_daily ('none' = without a category/department/district). */
export function dimKeys(f: Facts): Array<[Dim, string]> {
  const id = (x: number | null) => (x === null ? 'none' : String(x));
  return [
    ['total', ''],
    ['channel', f.channel],
    ['regime', f.regime],
    ['category', id(f.categoryId)],
    ['department', id(f.departmentId)],
    ['district', id(f.placeId)],
  ];
}

export const rowKey = (municipalityId: number, day: string, dim: Dim, key: string) => `${municipalityId}|${day}|${dim}|${key}`;

/** The measures of `f` as a vector in MEASURES order (measuresOf without the object: the rebuild adds millions). */
function vectorOf(f: Facts): number[] {
  return [
    1,
    b(f.state === 'answered'),
    b(f.state === 'open'),
    b(f.overdue),
    b(f.onTime === true),
    b(f.onTime === false),
    b(f.redirected),
    b(f.state === 'closed'),
    b(f.everAnswered),
    b(f.reopened),
    b(f.converted),
    b(f.rating !== null),
    b(f.rating !== null && f.rating >= POSITIVE_RATING),
    b(f.reactionMs !== null),
    f.reactionMs ?? 0,
    b(f.reactionWorkMs !== null),
    f.reactionWorkMs ?? 0,
    b(f.resolutionMs !== null),
    f.resolutionMs ?? 0,
    b(f.resolutionWorkMs !== null),
    f.resolutionWorkMs ?? 0,
  ];
}

export interface RollupRow {
  municipalityId: number;
  day: string;
  dim: Dim;
  key: string;
  m: Measures;
}

/** Row deltas keyed by rowKey, accumulated over many cases (+ the new facts, − the old ones). */
export class RollupDelta {
  readonly #rows = new Map<string, { municipalityId: number; day: string; dim: Dim; key: string; v: Float64Array }>();

  add(f: Facts, sign: 1 | -1): void {
    const v = vectorOf(f);
    for (const [dim, key] of dimKeys(f)) {
      const k = rowKey(f.municipalityId, f.receivedDay, dim, key);
      let row = this.#rows.get(k);
      if (!row) {
        row = { municipalityId: f.municipalityId, day: f.receivedDay, dim, key, v: new Float64Array(MEASURES.length) };
        this.#rows.set(k, row);
      }
      for (let i = 0; i < v.length; i++) row.v[i]! += sign * v[i]!;
    }
  }

  /** The rows that change, in primary-key order (concurrent refreshes lock rollup rows in the same order). */
  changed(): RollupRow[] {
    return [...this.#rows.values()]
      .filter((r) => r.v.some((x) => x !== 0))
      .sort(
        (a, b) =>
          a.municipalityId - b.municipalityId ||
          (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) ||
          (a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : 0) ||
          (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
      )
      .map((r) => ({
        municipalityId: r.municipalityId,
        day: r.day,
        dim: r.dim,
        key: r.key,
        m: Object.fromEntries(MEASURES.map((name, i) => [name, r.v[i]])) as Measures,
      }));
  }
}
