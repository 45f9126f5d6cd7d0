import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';

/** The current text of the consent to personal-data processing (152-ФЗ ст. 9), as the server serves it. */
export interface ConsentDocument {
  kind: string;
  /** Changes whenever the text does; a stored consent names the version it was given for. */
  version: string;
  title: string;
  /** Paragraphs. */
  text: string[];
}

export interface ConsentRecord {
  kind: string;
  version: string;
  acceptedAt: string;
  withdrawnAt: string | null;
}

export const PERSONAL_DATA = 'personal_data';

export const consentKeys = {
  document: ['legal', 'personal-data-consent'] as const,
  // Not under 'me': signing in or out drops every query but the session's own, and these belong to the user.
  mine: ['consents', 'mine'] as const,
};

const fetchConsentDocument = (cache?: RequestCache) =>
  api<ConsentDocument>('/legal/personal-data-consent', cache ? { cache } : {});

export function useConsentDocument() {
  return useQuery({
    queryKey: consentKeys.document,
    queryFn: () => fetchConsentDocument(),
    staleTime: 5 * 60_000,
  });
}

/**
 * The server refused a consent for an outdated text: fetch the current one, past the browser's cache (the
 * server lets it keep the text for five minutes), so what the person reads is what they agree to.
 */
export function reloadConsentDocument(client: QueryClient) {
  return client.fetchQuery({ queryKey: consentKeys.document, queryFn: () => fetchConsentDocument('reload'), staleTime: 0 });
}

/** The user's consents, newest first (each given one is its own record; withdrawing stamps it). */
export function useMyConsents() {
  return useQuery({
    queryKey: consentKeys.mine,
    queryFn: () => api<{ items: ConsentRecord[] }>('/me/consents').then((b) => b.items),
  });
}

export const giveConsent = (version: string) =>
  api<{ items: ConsentRecord[] }>('/me/consents/personal-data', { method: 'PUT', body: { version } }).then((b) => b.items);

export const withdrawConsent = () =>
  api<{ items: ConsentRecord[] }>('/me/consents/personal-data', { method: 'DELETE' }).then((b) => b.items);

/** The personal-data consent in force now (given and not withdrawn), if any. */
export const activeConsent = (items: readonly ConsentRecord[]) =>
  items.find((c) => c.kind === PERSONAL_DATA && c.withdrawnAt === null);

/** «редакция от 25.11.2026» for a date-like version, «редакция v2» otherwise. */
export function versionLabel(version: string): string {
  const m = version.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return m ? `редакция от ${m[3]}.${m[2]}.${m[1]}` : `редакция ${version}`;
}
