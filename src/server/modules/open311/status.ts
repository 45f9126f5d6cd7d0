/**
 * How our case workflow shows through Open311. GeoReport v2 has only `open` / `closed` with free `status_notes`
 * (open311.org GeoReport v2, «GET Service Requests»); FixMyStreet's `servicerequestupdates` extension adds finer
 * states (mysociety/fixmystreet perllib/Open311: open, investigating, in_progress, fixed, closed, duplicate,
 * internal_referral, no_further_action). Notes and descriptions are fixed phrases: never the answer or a name.
 */

/** Statuses in which a case still waits for its answer (the same list as modules/cases OPEN_STATUSES). */
export const OPEN = new Set(['registered', 'assigned', 'in_work', 'answer_drafted']);

export const georeportStatus = (status: string): 'open' | 'closed' => (OPEN.has(status) ? 'open' : 'closed');

const NOTES: Record<string, string> = {
  registered: 'Зарегистрировано',
  assigned: 'Передано исполнителю',
  in_work: 'В работе',
  answer_drafted: 'Готовится ответ',
  answered: 'Дан ответ',
  rated: 'Дан ответ',
  redirected: 'Передано по компетенции в другой орган',
  closed: 'Закрыто',
};

/** `status_notes` of a request: the stage in words, or the case it was merged into (its public number). */
export function statusNotes(status: string, mergedInto: string | null): string | null {
  if (mergedInto) return `Объединено с ${mergedInto}`;
  return NOTES[status] ?? null;
}

export type UpdateStatus =
  | 'open'
  | 'investigating'
  | 'in_progress'
  | 'fixed'
  | 'closed'
  | 'duplicate'
  | 'internal_referral'
  | 'no_further_action';

/**
 * A timeline event as a FixMyStreet request update, or null for events that stay internal (drafts, a head's
 * return, recomputed deadlines, the applicant's rating, a regime conversion).
 */
export function updateOf(type: string, data: Record<string, unknown>): { status: UpdateStatus; description: string } | null {
  switch (type) {
    case 'registered':
      return { status: 'open', description: 'Зарегистрировано' };
    case 'assigned':
      return { status: 'investigating', description: 'Передано исполнителю' };
    case 'in_work':
      return { status: 'in_progress', description: 'Взято в работу' };
    case 'extended':
      return { status: 'in_progress', description: 'Срок рассмотрения продлён' };
    case 'answered':
      return data.result === 'supported'
        ? { status: 'fixed', description: 'Проблема решена' }
        : data.result === 'not_supported'
          ? { status: 'no_further_action', description: 'Дан ответ: меры не требуются' }
          : { status: 'closed', description: 'Дан ответ' };
    case 'redirected':
      return { status: 'internal_referral', description: 'Передано по компетенции в другой орган' };
    case 'reopened':
      return { status: 'open', description: 'Рассмотрение возобновлено' };
    case 'merged':
      return data.kind === 'merged_into' ? { status: 'duplicate', description: 'Объединено с похожим сообщением' } : null;
    case 'unmerged':
      return { status: 'open', description: 'Выделено из объединения' };
    case 'withdrawn':
      return { status: 'closed', description: 'Отозвано заявителем' };
    case 'left_unanswered':
    case 'closed_abusive':
    case 'returned_court_decision':
    case 'correspondence_terminated':
      return { status: 'closed', description: 'Закрыто без ответа по существу' };
    default:
      return null;
  }
}
