import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { REGIONAL_ROLES, type Role } from '../../shared/roles.ts';
import { fetchSession, type Me } from '../modules/accounts/accounts.api.ts';
import { ApiError, setCsrfToken, setUnauthenticatedHandler } from './api.ts';

export const ME_KEY = ['me'] as const;

/**
 * The signed-in user, or null for a visitor; undefined while the first answer is on its way.
 * GET /session answers a visitor with `user: null` (no 401 in the console on public pages) and hands a
 * signed-in user the CSRF token again after a page reload.
 */
export function useMe(): { me: Me | null | undefined; loading: boolean } {
  const query = useQuery({
    queryKey: ME_KEY,
    queryFn: fetchSession,
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  return { me: query.data, loading: query.isPending };
}

/** When any request finds the session gone, forget the user so guarded pages send them to the login form. */
export function useSessionExpiryWatch(): void {
  const client = useQueryClient();
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      if (client.getQueryData(ME_KEY)) client.setQueryData(ME_KEY, null);
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [client]);
}

export const hasRole = (me: Me | null | undefined, roles: readonly Role[]) => !!me?.roles.some((g) => roles.includes(g.role));

export const isRegional = (me: Me | null | undefined) => hasRole(me, REGIONAL_ROLES);

/** Municipalities where the user administers (municipal_admin); `'all'` for a regional administrator. */
export function adminScope(me: Me | null | undefined): 'all' | number[] {
  if (hasRole(me, ['regional_admin'])) return 'all';
  const ids = new Set<number>();
  for (const g of me?.roles ?? []) if (g.role === 'municipal_admin' && g.municipalityId) ids.add(g.municipalityId);
  return [...ids];
}
