import type { Role } from '../../../shared/roles.ts';
import { api, setCsrfToken } from '../../app/api.ts';

/** A role with where it applies; the server names the region, municipality and department, so no lookups. */
export interface RoleGrant {
  role: Role;
  roleName: string;
  regionId: number | null;
  municipalityId: number | null;
  departmentId: number | null;
  regionName: string | null;
  municipalityName: string | null;
  departmentName: string | null;
}

/** The signed-in user as GET /api/v1/session (and /me, /auth/login) returns it. */
export interface Me {
  id: number;
  email: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  emailConfirmed: boolean;
  isStaff: boolean;
  roles: RoleGrant[];
}

interface SessionBody {
  user: Me;
  csrfToken: string;
}

/** GET /session answers 200 for everyone: a visitor gets nulls instead of a 401. */
interface VisitorSessionBody {
  user: Me | null;
  csrfToken: string | null;
}

export interface RegisterInput {
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  /** Only when the resident ticked the consent: the version of the text they were shown. */
  consent?: { version: string };
}

/** Who is signed in (null for a visitor), and the CSRF token for the session's writes. */
export async function fetchSession(): Promise<Me | null> {
  const body = await api<VisitorSessionBody>('/session');
  setCsrfToken(body.csrfToken);
  return body.user;
}

export async function login(email: string, password: string): Promise<Me> {
  const body = await api<SessionBody>('/auth/login', { method: 'POST', body: { email, password } });
  setCsrfToken(body.csrfToken);
  return body.user;
}

export async function logout(): Promise<void> {
  try {
    await api<void>('/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken(null);
  }
}

export const register = (input: RegisterInput) =>
  api<{ user: { id: number; email: string } }>('/auth/register', { method: 'POST', body: input });

export const confirmEmail = (token: string) => api<{ ok: boolean }>('/auth/confirm-email', { method: 'POST', body: { token } });

/** 202 with `alreadyConfirmed`; 429 RATE_LIMITED when a letter went out less than a minute ago. */
export const resendConfirmation = () => api<{ alreadyConfirmed: boolean }>('/auth/confirm-email/resend', { method: 'POST' });

export const requestPasswordReset = (email: string) =>
  api<{ ok: boolean }>('/auth/password-reset/request', { method: 'POST', body: { email } });

export const confirmPasswordReset = (token: string, password: string) =>
  api<{ ok: boolean }>('/auth/password-reset/confirm', { method: 'POST', body: { token, password } });

/** «Иван Петрович» when there is a patronymic (the polite Russian address), otherwise the first name. */
export const politeName = (u: Pick<Me, 'firstName' | 'middleName'>) =>
  u.middleName ? `${u.firstName} ${u.middleName}` : u.firstName;

export const fullName = (u: Pick<Me, 'lastName' | 'firstName' | 'middleName'>) =>
  [u.lastName, u.firstName, u.middleName].filter(Boolean).join(' ');
