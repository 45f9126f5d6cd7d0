import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../app/api.ts';

/** A deadline as the server gives it: the instant in the municipality's offset, with the rule and its source. */
export interface Due {
  kind: string;
  dueAt: string;
  rule: string;
  source: string;
}

/** A row of GET /cases (a resident gets their own). */
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
  receivedAt: string;
  registeredAt: string | null;
  due: Due | null;
  answerDue: Due | null;
}

export interface CaseDeadline extends Due {
  legalDueAt: string;
  internal: boolean;
  verified: boolean;
  provisional: boolean;
}

export interface TimelineEvent {
  id: number;
  at: string;
  type: string;
  actorUserId: number | null;
  data: Record<string, unknown>;
  deadlineAt: string | null;
  late: boolean | null;
}

export interface Attachment {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  url?: string;
}

export interface CoSigner {
  lastName: string;
  firstName: string;
  middleName?: string | null;
  email?: string | null;
  postalAddress?: string | null;
}

/** GET /cases/{id}. The fields after `timeline` come with the rest of issue 4 and may be missing for a while. */
export interface CaseCard extends CaseSummary {
  applicant: {
    userId: number | null;
    lastName: string | null;
    firstName: string | null;
    middleName: string | null;
    email: string | null;
    phone: string | null;
    postalAddress: string | null;
    answerBy: string | null;
  };
  answer: { text: string; result: string | null; answeredAt: string } | null;
  extensionCount: number;
  deadlines: CaseDeadline[];
  timeline: TimelineEvent[];
  allowedActions?: string[];
  closure?: { reason: string; comment: string | null; forwardedTo: string | null; closedAt: string } | null;
  coSigners?: CoSigner[];
  attachments?: Attachment[];
  cluster?: {
    primaryCaseId: number;
    primaryNumber: string;
    members: Array<{ id: number; number: string; status: string }>;
  } | null;
}

export interface Category {
  id: number;
  municipalityId: number;
  name: string;
  regime: string;
  isActive: boolean;
}

export interface SubmitInput {
  municipalityId: number;
  channel: 'web';
  regime: 'appeal' | 'message';
  kind: string;
  categoryId?: number;
  text: string;
  address?: string;
  phone?: string;
  postalAddress?: string;
  answerBy: 'email' | 'post';
  attachmentIds?: number[];
  coSigners?: CoSigner[];
}

export interface Notice {
  id: number;
  caseId: number | null;
  caseNumber: string | null;
  kind: string;
  title: string;
  text: string;
  at: string;
  readAt: string | null;
}

export const caseKeys = {
  mine: ['cases', 'mine'] as const,
  one: (id: number) => ['cases', 'one', id] as const,
  categories: (municipalityId: number) => ['categories', municipalityId] as const,
  similar: (municipalityId: number, categoryId: number | null, text: string) =>
    ['cases', 'similar', municipalityId, categoryId, text] as const,
  notices: ['notices', 'mine'] as const,
};

/** A route the server does not have yet (another part of issue 4 still on its way): 404 «No route …». */
export const isMissingRoute = (error: unknown) =>
  error instanceof ApiError && error.status === 404 && /^No route /.test(error.message);

export function useMyCases() {
  return useQuery({
    queryKey: caseKeys.mine,
    queryFn: () => api<{ items: CaseSummary[] }>('/cases', { query: { limit: 200 } }).then((b) => b.items),
  });
}

export function useCase(id: number) {
  return useQuery({
    queryKey: caseKeys.one(id),
    queryFn: () => api<CaseCard>(`/cases/${id}`),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function useCategories(municipalityId: number | null) {
  return useQuery({
    queryKey: caseKeys.categories(municipalityId ?? 0),
    queryFn: () => api<{ items: Category[] }>(`/municipalities/${municipalityId}/categories`).then((b) => b.items),
    enabled: municipalityId !== null,
    staleTime: 5 * 60_000,
  });
}

/**
 * POST /cases/similar for a resident: their own open cases like this one (`items`, reason `same_applicant`), and
 * how many similar open cases of other people exist (`hiddenCount`: their texts are not shown).
 */
export interface SimilarCases {
  items: Array<CaseSummary & { score: number; reason: string }>;
  hiddenCount: number;
}

/** Cases like the one being written (the applicant's own open ones, similar text in the category); null without the route. */
export function useSimilarCases(municipalityId: number | null, categoryId: number | null, text: string) {
  return useQuery({
    queryKey: caseKeys.similar(municipalityId ?? 0, categoryId, text),
    queryFn: async () => {
      try {
        return await api<SimilarCases>('/cases/similar', {
          method: 'POST',
          body: { municipalityId, ...(categoryId !== null && { categoryId }), text },
        });
      } catch (error) {
        if (isMissingRoute(error)) return null;
        throw error;
      }
    },
    enabled: municipalityId !== null && text.length > 0,
    retry: false,
    staleTime: 60_000,
  });
}

/** The in-cabinet notices; null while the server has no such route. */
export function useNotices() {
  return useQuery({
    queryKey: caseKeys.notices,
    queryFn: async () => {
      try {
        return await api<{ items: Notice[]; unread: number }>('/notices');
      } catch (error) {
        if (isMissingRoute(error)) return null;
        throw error;
      }
    },
    retry: false,
  });
}

// An empty JSON object: a POST with no body at all is refused by the routes' strict body schemas.
export const markNoticeRead = (id: number) => api<unknown>(`/notices/${id}/read`, { method: 'POST', body: {} });
export const markAllNoticesRead = () => api<unknown>('/notices/read-all', { method: 'POST', body: {} });

/**
 * POST /cases with the form's Idempotency-Key: a double click or a retry after a lost answer returns the case
 * made by the first request (200) instead of a second one.
 */
export const submitCase = (input: SubmitInput, idempotencyKey: string) =>
  api<CaseCard>('/cases', { method: 'POST', body: input, headers: { 'idempotency-key': idempotencyKey } });

export const rateCase = (id: number, rating: number, comment: string) =>
  api<CaseCard>(`/cases/${id}/rate`, { method: 'POST', body: { rating, ...(comment.trim() && { comment: comment.trim() }) } });

export const reopenCase = (id: number, reason: string) =>
  api<CaseCard>(`/cases/${id}/reopen`, { method: 'POST', body: { reason: reason.trim() } });

export const withdrawCase = (id: number, reason: string) =>
  api<CaseCard>(`/cases/${id}/withdraw`, { method: 'POST', body: reason.trim() ? { reason: reason.trim() } : {} });

// ——— a request `api()` cannot make: a raw file body, with upload progress ———

let token: string | null = null;

/** The session's CSRF token, as GET /session hands it out (api.ts keeps its copy to itself). */
async function csrfToken(fresh = false): Promise<string | null> {
  if (token && !fresh) return token;
  token = (await api<{ csrfToken: string | null }>('/session', { cache: 'no-store' })).csrfToken;
  return token;
}

async function withCsrf(send: (token: string | null) => Promise<Response>): Promise<Response> {
  let res: Response;
  try {
    res = await send(await csrfToken());
    if (res.status === 403) {
      const body = (await res
        .clone()
        .json()
        .catch(() => ({}))) as { error?: { code?: string } };
      if (body.error?.code === 'CSRF_TOKEN_INVALID') res = await send(await csrfToken(true));
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, 'NETWORK', 'Нет связи с сервером. Проверьте подключение к интернету и повторите.');
  }
  return res;
}

async function parse<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => undefined)) as
    | { error?: { code: ApiError['code']; message: string; details?: ApiError['details']; requestId?: string } }
    | undefined;
  if (!res.ok) {
    const e = body?.error;
    if (!e) throw new ApiError(res.status, 'INTERNAL', `Сервер ответил с ошибкой ${res.status}`);
    throw new ApiError(res.status, e.code, e.message, e.details ?? [], e.requestId);
  }
  return body as T;
}

/**
 * POST /attachments: the raw bytes with the file's type and its URI-encoded name; the content is checked by the
 * server (magic bytes). XMLHttpRequest rather than fetch, for the upload progress on a slow mobile connection.
 */
export async function uploadAttachment(file: File, onProgress: (fraction: number) => void): Promise<Attachment> {
  const attempt = (csrf: string | null) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/attachments');
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
      xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
      if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () =>
        resolve(
          new Response(xhr.status === 204 ? null : xhr.responseText, {
            status: xhr.status,
            headers: { 'content-type': 'application/json' },
          }),
        );
      xhr.onerror = () =>
        reject(new ApiError(0, 'NETWORK', 'Нет связи с сервером. Проверьте подключение к интернету и повторите.'));
      xhr.send(file);
    });
  return parse<Attachment>(await withCsrf(attempt));
}

/** A fresh Idempotency-Key (crypto.randomUUID needs a secure context; random bytes do not). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
