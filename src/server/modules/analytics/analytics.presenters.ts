import type { Drill } from './commands/read-drill.ts';
import { hours } from './stats.ts';

/** The drill-down's cases: numbers, statuses, dates and the facts behind the figure; nothing personal. */
export function presentDrill(d: Drill) {
  return {
    figure: d.figure,
    label: d.label,
    total: d.total,
    items: d.rows.map((r) => ({
      id: r.case_id,
      number: r.number,
      status: r.status,
      regime: r.regime,
      channel: r.channel,
      categoryId: r.category_id,
      departmentId: r.department_id,
      executorUserId: r.executor_user_id,
      receivedAt: r.received_at.toISOString(),
      answeredAt: r.answered_at ? r.answered_at.toISOString() : null,
      dueAt: r.due_at ? r.due_at.toISOString() : null,
      late: r.on_time === null ? null : !r.on_time,
      overdue: r.overdue,
      reactionHours: hours(r.reaction_ms),
      resolutionHours: hours(r.resolution_ms),
      rating: r.rating,
      reopened: r.reopened,
      redirected: r.redirected,
    })),
  };
}
