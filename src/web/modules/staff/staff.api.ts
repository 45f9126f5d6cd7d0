import { useInfiniteQuery } from '@tanstack/react-query';
import type { Role } from '../../../shared/roles.ts';
import { api } from '../../app/api.ts';

export interface StaffGrant {
  role: Role;
  roleName: string;
  municipalityId: number | null;
  departmentId: number | null;
}

export interface StaffMember {
  id: number;
  email: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  isActive: boolean;
  roles: StaffGrant[];
}

export interface GrantInput {
  role: Role;
  municipalityId?: number | null;
  departmentId?: number | null;
}

export interface CreateStaffInput {
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  phone?: string;
  roles: GrantInput[];
}

export const PAGE_SIZE = 50;

export const staffKeys = {
  all: ['staff'] as const,
  list: (municipalityId: number | null, q: string) => ['staff', municipalityId ?? 'region', q] as const,
};

/** Staff of a municipality, or the regional staff when municipalityId is null; pages of PAGE_SIZE. */
export function useStaffList(municipalityId: number | null, q: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: staffKeys.list(municipalityId, q),
    queryFn: ({ pageParam }) =>
      api<{ items: StaffMember[] }>('/staff', {
        query: { municipalityId, q: q || undefined, limit: PAGE_SIZE, offset: pageParam },
      }).then((b) => b.items),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (last.length === PAGE_SIZE ? pages.length * PAGE_SIZE : undefined),
    enabled,
  });
}

export const createStaff = (input: CreateStaffInput) =>
  api<{ id: number; email: string }>('/staff', { method: 'POST', body: input });

export const setStaffActive = (id: number, isActive: boolean) =>
  api<{ id: number; isActive: boolean; roles: StaffGrant[] }>(`/staff/${id}`, { method: 'PATCH', body: { isActive } });
