import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../app/api.ts';

/** A deadline as the server gives it: the instant carries the municipality's UTC offset. */
export interface Due {
  kind: string;
  dueAt: string;
  rule: string;
  source: string;
}

export interface CaseSummary {
  id: number;
  number: string;
  municipalityId: number;
  regime: string;
  channel: string;
  kind: string;
  categoryId: number | null;
  categoryName: string | null;
  status: string;
  text: string;
  address: string | null;
  departmentId: number | null;
  executorUserId: number | null;
  /** The executor's name, when the server gives it (staff who may not list colleagues still read it). */
  executorName?: string | null;
  receivedAt: string;
  registeredAt: string | null;
  due: Due | null;
  answerDue: Due | null;
  /** A map report (the case has a point): merged with a letter, it stays the primary so the map keeps showing it. */
  hasLocation?: boolean;
}

export interface CaseDeadline {
  kind: string;
  dueAt: string;
  legalDueAt: string;
  internal: boolean;
  rule: string;
  source: string;
  verified: boolean;
  provisional: boolean;
}

export interface TimelineEvent {
  id: number;
  at: string;
  type: string;
  actorUserId: number | null;
  /** Who took the step, when the server names them. */
  actorName?: string | null;
  data: Record<string, unknown>;
  deadlineAt: string | null;
  late: boolean | null;
}

export interface Attachment {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
}

export interface Case extends CaseSummary {
  applicant: {
    userId: number | null;
    isAnonymous: boolean;
    lastName: string | null;
    firstName: string | null;
    middleName: string | null;
    email: string | null;
    phone: string | null;
    postalAddress: string | null;
    answerBy: string | null;
  };
  lat: number | null;
  /** The post an incident was accepted from (social media), or an Open311 photo. */
  mediaUrl?: string | null;
  lon: number | null;
  answer: { text: string; result: string | null; answeredAt: string } | null;
  draft: { text: string; result: string | null } | null;
  extensionCount: number;
  deadlines: CaseDeadline[];
  timeline: TimelineEvent[];
  /** The actions the reader may take now (the lead's CaseOut field; absent on an older server → none). */
  allowedActions?: string[];
  coSigners?: Array<{
    lastName: string;
    firstName: string;
    middleName: string | null;
    email: string | null;
    postalAddress: string | null;
  }>;
  closure?: { reason: string; comment: string | null; forwardedTo: string | null; closedAt: string } | null;
  attachments?: Attachment[];
  cluster?: {
    primaryCaseId: number;
    primaryNumber: string;
    members: Array<{ id: number; number: string; status: string }>;
  } | null;
}

export interface SimilarCase extends CaseSummary {
  score: number;
  reason: string;
}

export interface Category {
  id: number;
  municipalityId: number;
  name: string;
  totkoCode: string | null;
  regime: string;
  departmentId: number | null;
  isActive: boolean;
}

export interface AnswerTemplate {
  id: number;
  categoryId: number | null;
  title: string;
  text: string;
  result: string | null;
}

export interface WorkloadRow {
  userId: number;
  name: string;
  departmentId: number | null;
  departmentName: string | null;
  open: number;
  overdue: number;
  dueSoon: number;
}

// ——— Russian names ———

export const STATUS_NAMES: Record<string, string> = {
  registered: 'Зарегистрировано',
  assigned: 'Направлено исполнителю',
  in_work: 'В работе',
  answer_drafted: 'Проект ответа на согласовании',
  answered: 'Дан ответ',
  rated: 'Ответ оценён',
  redirected: 'Переадресовано',
  closed: 'Закрыто без ответа по существу',
};

export const REGIME_NAMES: Record<string, string> = {
  appeal: 'Обращение (59-ФЗ)',
  message: 'Сообщение (ПОС)',
  incident: 'Инцидент',
};

export const CHANNEL_NAMES: Record<string, string> = {
  web: 'Сайт',
  api: 'API',
  phone: 'Телефон',
  reception: 'Личный приём',
  meeting: 'Встреча с жителями',
  letter: 'Письмо',
  social: 'Соцсети',
  open311: 'Open311',
  epgu: 'ЕПГУ',
};

export const KIND_NAMES: Record<string, string> = {
  proposal: 'Предложение',
  statement: 'Заявление',
  complaint: 'Жалоба',
  other: 'Другое',
};

export const RESULT_NAMES: Record<string, string> = {
  supported: 'Поддержано',
  not_supported: 'Не поддержано',
  explained: 'Разъяснено',
};

export const ANSWER_BY_NAMES: Record<string, string> = {
  cabinet: 'в личный кабинет',
  email: 'по электронной почте',
  post: 'почтой',
};

export const DEADLINE_NAMES: Record<string, string> = {
  register: 'Регистрация',
  redirect: 'Переадресация по компетенции',
  answer: 'Ответ',
  extended_answer: 'Ответ (срок продлён)',
  court_return: 'Возврат обращения об обжаловании судебного решения',
  notice_unreadable: 'Уведомление: текст не поддаётся прочтению',
  notice_unclear: 'Уведомление: суть вопроса не ясна',
  first_reaction: 'Первая реакция',
};

export const EVENT_NAMES: Record<string, string> = {
  received: 'Поступило',
  registered: 'Зарегистрировано',
  assigned: 'Направлено исполнителю',
  in_work: 'Принято в работу',
  answer_drafted: 'Подготовлен проект ответа',
  draft_returned: 'Проект ответа возвращён на доработку',
  answered: 'Дан ответ',
  extended: 'Срок ответа продлён',
  redirected: 'Переадресовано по компетенции',
  rated: 'Заявитель оценил ответ',
  reopened: 'Заявитель попросил пересмотреть',
  withdrawn: 'Заявитель отозвал обращение',
  closed: 'Закрыто',
  left_unanswered: 'Оставлено без ответа',
  closed_abusive: 'Оставлено без ответа: оскорбительные выражения',
  notified_unreadable: 'Заявитель уведомлён: текст не поддаётся прочтению',
  notified_unclear: 'Заявитель уведомлён: суть обращения не ясна',
  unmerged: 'Исключено из объединения',
  deadlines_recomputed: 'Сроки пересчитаны по производственному календарю',
  returned_court_decision: 'Возвращено: обжалование судебного решения',
  correspondence_terminated: 'Переписка прекращена',
  converted: 'Изменён порядок рассмотрения',
  merged: 'Объединено с похожими обращениями',
  first_reaction: 'Первая реакция: ответ автору публикации',
};

export const CLOSURE_NAMES: Record<string, string> = {
  anonymous: 'Анонимное обращение (59-ФЗ ст. 11 ч. 1)',
  abusive: 'Нецензурные либо оскорбительные выражения (59-ФЗ ст. 11 ч. 3)',
  unreadable: 'Текст не поддаётся прочтению (59-ФЗ ст. 11 ч. 4)',
  court_decision: 'Обжалование судебного решения (59-ФЗ ст. 11 ч. 2)',
  correspondence_terminated: 'Переписка прекращена (59-ФЗ ст. 11 ч. 5)',
  withdrawn: 'Отозвано заявителем',
};

export const SIMILAR_REASONS: Record<string, string> = {
  same_applicant: 'Тот же заявитель',
  similar_text: 'Похожий текст в той же категории',
};

/** Channels an operator registers on the applicant's behalf (the server's OPERATOR_CHANNELS). */
export const OPERATOR_CHANNELS = ['letter', 'phone', 'reception', 'meeting'] as const;

export const nameOf = (names: Record<string, string>, code: string | null | undefined) => (code ? (names[code] ?? code) : '—');

// ——— Queries ———

export interface QueueFilter {
  status?: string;
  regime?: string;
  channel?: string;
  category?: number;
  department?: number;
  executor?: number;
  dueToday?: boolean;
  overdue?: boolean;
  q?: string;
}

export const QUEUE_PAGE = 25;

export const casesKeys = {
  all: ['cases'] as const,
  queue: (filter: QueueFilter) => ['cases', 'queue', filter] as const,
  one: (id: number) => ['cases', 'one', id] as const,
  similar: (id: number) => ['cases', 'similar', id] as const,
};

export function useCaseQueue(filter: QueueFilter) {
  return useInfiniteQuery({
    queryKey: casesKeys.queue(filter),
    queryFn: ({ pageParam, signal }) =>
      api<{ items: CaseSummary[] }>('/cases', {
        query: { ...filter, limit: QUEUE_PAGE, offset: pageParam },
        signal,
      }).then((b) => b.items),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (last.length === QUEUE_PAGE ? pages.length * QUEUE_PAGE : undefined),
  });
}

export function useCase(id: number) {
  return useQuery({
    queryKey: casesKeys.one(id),
    queryFn: ({ signal }) => api<Case>(`/cases/${id}`, { signal }),
    enabled: id > 0,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function useCategories(municipalityId: number | null) {
  return useQuery({
    queryKey: ['categories', municipalityId],
    queryFn: () => api<{ items: Category[] }>(`/municipalities/${municipalityId}/categories`).then((b) => b.items),
    enabled: municipalityId !== null,
    staleTime: 5 * 60_000,
  });
}

/** A route that another worker is still building answers 404 until it lands: then there is simply nothing. */
const absentOn404 = async <T>(load: () => Promise<T>): Promise<T | null> => {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null;
    throw error;
  }
};
const noRetryOnClientError = (count: number, error: unknown) => !(error instanceof ApiError && error.status < 500) && count < 2;

export function useWorkload(municipalityId: number | null) {
  return useQuery({
    queryKey: ['workload', municipalityId],
    queryFn: () =>
      absentOn404(() => api<{ items: WorkloadRow[] }>(`/municipalities/${municipalityId}/workload`).then((b) => b.items)),
    enabled: municipalityId !== null,
    retry: noRetryOnClientError,
    staleTime: 60_000,
  });
}

export function useSimilar(id: number, enabled: boolean) {
  return useQuery({
    queryKey: casesKeys.similar(id),
    queryFn: () => absentOn404(() => api<{ items: SimilarCase[] }>(`/cases/${id}/similar`).then((b) => b.items)),
    enabled,
    retry: noRetryOnClientError,
  });
}

/**
 * Templates for a case's answer: the case's own list (its category's and the generic ones, placeholders filled in
 * by the server), or the municipality's list for the category where that route is not there yet.
 */
export function useAnswerTemplates(caseId: number, municipalityId: number, categoryId: number | null, enabled: boolean) {
  return useQuery({
    queryKey: ['answer-templates', caseId],
    queryFn: async () =>
      (await absentOn404(() => api<{ items: AnswerTemplate[] }>(`/cases/${caseId}/answer-templates`).then((b) => b.items))) ??
      absentOn404(() =>
        api<{ items: AnswerTemplate[] }>(`/municipalities/${municipalityId}/answer-templates`, {
          query: { categoryId: categoryId ?? undefined },
        }).then((b) => b.items),
      ),
    enabled,
    retry: noRetryOnClientError,
    staleTime: 5 * 60_000,
  });
}

/**
 * Open cases like the one being registered (the same applicant by e-mail, or a similar text in the category): the
 * operator sees a repeated or a collective appeal before making a second case of it.
 */
export function useSimilarForIntake(input: { municipalityId: number; categoryId?: number; text: string; email?: string }) {
  const ready = input.text.trim().length >= 10;
  return useQuery({
    queryKey: ['cases', 'similar-intake', input],
    queryFn: () =>
      absentOn404(() => api<{ items: SimilarCase[] }>('/cases/similar', { method: 'POST', body: input }).then((b) => b.items)),
    enabled: ready,
    retry: false,
    staleTime: 30_000,
  });
}

// ——— Writes ———

/** `POST /cases/{id}/{action}`; the answer is the card as the caller now sees it. */
export const caseAction = (id: number, action: string, body: Record<string, unknown> = {}) =>
  api<Case>(`/cases/${id}/${action}`, { method: 'POST', body });

export const mergeCases = (id: number, caseIds: number[]) =>
  api<Case>(`/cases/${id}/merge`, { method: 'POST', body: { caseIds } });

export interface RegisterCaseInput {
  municipalityId: number;
  channel: string;
  kind: string;
  categoryId?: number;
  text: string;
  receivedAt?: string;
  lastName?: string;
  firstName?: string;
  middleName?: string;
  email?: string;
  phone?: string;
  postalAddress?: string;
  answerBy?: string;
  address?: string;
}

/** The operator's registration; the key makes a repeated click (or a lost answer) return the same case. */
export const registerCase = (input: RegisterCaseInput, idempotencyKey: string) =>
  api<Case>('/cases', { method: 'POST', body: input, headers: { 'idempotency-key': idempotencyKey } });
