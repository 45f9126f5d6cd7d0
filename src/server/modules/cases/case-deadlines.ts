import { computeDeadlines, type Deadline, type ProductionCalendar, type Regime } from '../../core/time/index.ts';
import { readSettings } from '../calendar/index.ts';

/** The deadline the queue sorts by: the first reaction of an incident, the answer otherwise. */
export const PRIMARY_KIND: Record<Regime, string> = { appeal: 'answer', message: 'answer', incident: 'first_reaction' };

/** A deadline as stored on the case (`case.deadlines`): instants as text with the municipality's offset. */
export interface StoredDeadline {
  kind: string;
  dueAt: string;
  legalDueAt: string;
  internal: boolean;
  rule: string;
  source: string;
  verified: boolean;
  provisional: boolean;
}

export interface CaseDeadlines {
  all: Deadline[];
  stored: StoredDeadline[];
  register: Deadline | undefined;
  primary: Deadline | undefined;
  answer: Deadline | undefined;
}

/** Every deadline of a case by core/time, with the municipality's settings for the regime. */
export function deadlinesFor(input: {
  regime: Regime;
  receivedAt: Date;
  registeredAt: Date;
  zone: string;
  calendar: ProductionCalendar;
  settings: unknown;
  category: string | null;
}): CaseDeadlines {
  const all = computeDeadlines({
    regime: input.regime,
    start: input.receivedAt,
    registeredAt: input.registeredAt,
    zone: input.zone,
    calendar: input.calendar,
    ...(input.category && { category: input.category }),
    settings: readSettings(input.settings)[input.regime] ?? {},
  });
  const stored = all.map((d) => ({
    kind: d.kind,
    dueAt: d.dueAtText,
    legalDueAt: d.legalDueAtText,
    internal: d.internal,
    rule: d.rule,
    source: d.source,
    verified: d.verified,
    provisional: d.provisional,
  }));
  return {
    all,
    stored,
    register: all.find((d) => d.kind === 'register'),
    primary: all.find((d) => d.kind === PRIMARY_KIND[input.regime]),
    answer: all.find((d) => d.kind === 'answer'),
  };
}

/** The stored deadline of a kind (computed at registration by core/time) as an instant, or null. */
export function storedDue(c: { deadlines: unknown }, kind: string): Date | null {
  const d = ((c.deadlines ?? []) as StoredDeadline[]).find((x) => x.kind === kind);
  return d ? new Date(d.dueAt) : null;
}
