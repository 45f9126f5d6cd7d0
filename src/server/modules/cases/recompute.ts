import type { Db } from '../../core/db/index.ts';
import type { Regime } from '../../core/time/index.ts';
import type { DeadlineRecomputer } from '../calendar/index.ts';
import { deadlinesFor, type StoredDeadline } from './case-deadlines.ts';
import { openCasesWithDeadlines } from './cases.repository.ts';

/**
 * After a calendar change: open cases whose deadline is still ahead get their deadlines recomputed; a case whose
 * deadlines moved gets the new ones and a `deadlines_recomputed` event (steps already taken keep their lateness).
 */
export const caseDeadlineRecomputer: DeadlineRecomputer = {
  name: 'cases',
  async recompute({ years, region, calendarFor, db, now }) {
    const rows = await openCasesWithDeadlines(db, now, region);
    let items = 0;
    for (const c of rows) {
      const old = (c.deadlines ?? []) as StoredDeadline[];
      // Only cases whose span (receipt to the latest deadline) runs through a changed year.
      const first = c.received_at.getUTCFullYear() - 1;
      const last = Math.max(first, ...old.map((d) => Number(d.dueAt.slice(0, 4))));
      if (!years.some((y) => y >= first && y <= last)) continue;
      const calendar = await calendarFor(c.iso_code);
      const next = deadlinesFor({
        regime: c.regime as Regime,
        receivedAt: c.received_at,
        registeredAt: c.registered_at ?? c.received_at,
        zone: c.time_zone,
        calendar,
        settings: c.deadline_settings,
        category: c.totko_code,
      });
      const moved = next.stored.filter((d) => {
        const before = old.find((o) => o.kind === d.kind);
        return !before || before.dueAt !== d.dueAt;
      });
      // Only future deadlines move: a kind already past keeps its stored value. An answer period set by a step
      // (an extension by the head, a reopening by the applicant) is not recomputed from the registration date:
      // it keeps the date that step set, rather than silently falling back to the original 30 days.
      const answerSetByStep = c.extension_count > 0 || Boolean(c.reopened);
      const stored = next.stored
        .map((d) => {
          const before = old.find((o) => o.kind === d.kind);
          if (answerSetByStep && (d.kind === 'answer' || d.kind === 'extended_answer')) return before;
          return before && new Date(before.dueAt).getTime() <= now.getTime() ? before : d;
        })
        .filter((d): d is StoredDeadline => d !== undefined);
      if (!moved.some((d) => stored.includes(d))) continue;
      const inTransaction = (fn: (trx: Db) => Promise<void>) =>
        db.isTransaction ? fn(db) : db.transaction().execute((trx) => fn(trx));
      await inTransaction(async (trx) => {
        const primary = stored.find((d) => d.kind === c.due_kind);
        const answer = stored.find((d) => d.kind === 'answer');
        await trx
          .updateTable('case')
          .set({
            deadlines: JSON.stringify(stored),
            ...(primary && { due_at: new Date(primary.dueAt), due_rule: primary.rule, due_source: primary.source }),
            ...(answer && !answerSetByStep && { answer_due_at: new Date(answer.dueAt) }),
          })
          .where('id', '=', c.id)
          .execute();
        await trx
          .insertInto('case_event')
          .values({
            case_id: c.id,
            at: now,
            actor_user_id: null,
            type: 'deadlines_recomputed',
            data: JSON.stringify({
              years,
              changed: moved
                .filter((d) => stored.includes(d))
                .map((d) => ({ kind: d.kind, from: old.find((o) => o.kind === d.kind)?.dueAt ?? null, to: d.dueAt })),
            }),
            deadline_at: primary ? new Date(primary.dueAt) : null,
            late: null,
          })
          .execute();
      });
      items++;
    }
    return { items };
  },
};
