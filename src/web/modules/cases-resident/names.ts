/** Russian names for what the server sends as codes, and dates as the municipality's local calendar shows them. */

export const STATUS_NAMES: Record<string, string> = {
  registered: 'Зарегистрировано',
  assigned: 'Передано исполнителю',
  in_work: 'В работе',
  answer_drafted: 'Готовится ответ',
  answered: 'Дан ответ',
  rated: 'Ответ оценён',
  redirected: 'Переадресовано',
  closed: 'Рассмотрение завершено',
};
export const statusName = (s: string) => STATUS_NAMES[s] ?? s;

/** Statuses after which nothing more is owed to the applicant: no deadline is «просрочен» there. */
export const FINISHED = new Set(['answered', 'rated', 'redirected', 'closed']);

export const statusBadge = (s: string): 'neutral' | 'success' | 'warning' | 'danger' | 'info' =>
  s === 'answered' || s === 'rated' ? 'success' : s === 'redirected' || s === 'closed' ? 'neutral' : 'info';

export const REGIME_NAMES: Record<string, string> = {
  appeal: 'Обращение (59-ФЗ)',
  message: 'Сообщение',
  incident: 'Инцидент',
};

export const KIND_NAMES: Record<string, string> = {
  proposal: 'Предложение',
  statement: 'Заявление',
  complaint: 'Жалоба',
  other: 'Иное',
};

export const RESULT_NAMES: Record<string, string> = {
  supported: 'Поддержано',
  not_supported: 'Не поддержано',
  explained: 'Разъяснено',
};

export const ANSWER_BY_NAMES: Record<string, string> = {
  cabinet: 'в личном кабинете',
  email: 'по электронной почте и в личном кабинете',
  post: 'письмом по почте',
};

/** Deadlines, as the applicant reads them. */
export const DEADLINE_NAMES: Record<string, string> = {
  register: 'Регистрация',
  redirect: 'Переадресация по компетенции',
  answer: 'Ответ',
  extended_answer: 'Ответ (срок продлён)',
  court_return: 'Возврат при обжаловании судебного решения',
  notice_unreadable: 'Сообщение о нечитаемом тексте',
  notice_unclear: 'Сообщение о неясной сути обращения',
  first_reaction: 'Первая реакция',
};

/** 59-ФЗ ст. 11: why a case was closed without an answer on the merits (and the applicant's own withdrawal). */
export const CLOSURE_NAMES: Record<string, string> = {
  anonymous: 'Не указаны фамилия или адрес для ответа — ответ не даётся (59-ФЗ ст. 11 ч. 1)',
  abusive: 'Обращение содержит нецензурные либо оскорбительные выражения (59-ФЗ ст. 11 ч. 3)',
  unreadable: 'Текст обращения не поддаётся прочтению (59-ФЗ ст. 11 ч. 4)',
  court_decision: 'Обжалуется судебное решение — обращение возвращено с разъяснением порядка обжалования (59-ФЗ ст. 11 ч. 2)',
  correspondence_terminated: 'Переписка по этому вопросу прекращена (59-ФЗ ст. 11 ч. 5)',
  withdrawn: 'Обращение отозвано заявителем',
};

/** Timeline events the applicant sees; a staff-only step (a draft, its return) is left out of their page. */
export const EVENT_NAMES: Record<string, string> = {
  received: 'Обращение поступило',
  registered: 'Обращение зарегистрировано',
  assigned: 'Передано в подразделение',
  in_work: 'Исполнитель приступил к работе',
  answered: 'Дан ответ',
  extended: 'Срок рассмотрения продлён',
  redirected: 'Переадресовано в другой орган',
  rated: 'Вы оценили ответ',
  reopened: 'Вы попросили пересмотреть',
  withdrawn: 'Обращение отозвано',
  left_unanswered: 'Оставлено без ответа (59-ФЗ ст. 11 ч. 1)',
  closed_abusive: 'Оставлено без ответа по существу (59-ФЗ ст. 11 ч. 3)',
  notified_unreadable: 'Сообщено, что текст не поддаётся прочтению (59-ФЗ ст. 11 ч. 4)',
  notified_unclear: 'Сообщено, что суть обращения определить нельзя (59-ФЗ ст. 11 ч. 4.1)',
  returned_court_decision: 'Возвращено: обжалуется судебное решение (59-ФЗ ст. 11 ч. 2)',
  correspondence_terminated: 'Переписка по вопросу прекращена (59-ФЗ ст. 11 ч. 5)',
  closed: 'Рассмотрение завершено',
  merged: 'Объединено с похожими обращениями',
  unmerged: 'Рассматривается отдельно от похожих обращений',
  converted: 'Изменён вид обращения',
  attachment_added: 'Добавлен файл',
  first_reaction: 'Администрация ответила на публикацию',
};
export const STAFF_ONLY_EVENTS = new Set(['answer_drafted', 'draft_returned']);
export const eventName = (type: string) => EVENT_NAMES[type] ?? 'Изменение по обращению';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

/**
 * «01.04.2026» — the date as written in the instant's own offset (the municipality's), not the browser's: a
 * resident travelling in Moscow still sees the day the Кузбасс administration counts to.
 */
export function localDateRu(iso: string): string {
  const m = String(iso).match(ISO);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** «01.04.2026 в 14:05», in the instant's own offset. */
export function localDateTimeRu(iso: string): string {
  const m = String(iso).match(ISO);
  return m ? `${m[3]}.${m[2]}.${m[1]} в ${m[4]}:${m[5]}` : iso;
}

/** Past the instant and not yet answered. */
export const isOverdue = (status: string, due: { dueAt: string } | null, now = Date.now()) =>
  !!due && !FINISHED.has(status) && Date.parse(due.dueAt) < now;

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} Б`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} КБ`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} МБ`;
}
