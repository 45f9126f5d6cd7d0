import { useQuery } from '@tanstack/react-query';
import type { MunicipalityType } from '../../../shared/roles.ts';
import { api } from '../../app/api.ts';

export interface Municipality {
  id: number;
  regionId: number;
  name: string;
  shortName: string;
  slug: string;
  casePrefix: string;
  type: MunicipalityType;
  typeName: string;
  oktmo: string;
  population: number | null;
  timeZone: string;
  hasBoundary: boolean;
  isActive: boolean;
}

export interface Department {
  id: number;
  municipalityId: number;
  name: string;
  email: string | null;
  phone: string | null;
  isActive: boolean;
}

export interface CreateMunicipalityInput {
  name: string;
  shortName: string;
  slug: string;
  casePrefix: string;
  type: MunicipalityType;
  oktmo: string;
  population?: number;
  timeZone?: string;
}

export type UpdateMunicipalityInput = Partial<Omit<CreateMunicipalityInput, 'slug' | 'casePrefix' | 'population'>> & {
  population?: number | null;
  isActive?: boolean;
};

export interface DepartmentInput {
  name?: string;
  email?: string | null;
  phone?: string | null;
  isActive?: boolean;
}

export const tenancyKeys = {
  publicMunicipalities: ['municipalities', 'public'] as const,
  adminMunicipalities: ['municipalities', 'admin'] as const,
  departments: (municipalityId: number) => ['departments', municipalityId] as const,
};

/** Active municipalities, for residents to choose from. */
export function usePublicMunicipalities() {
  return useQuery({
    queryKey: tenancyKeys.publicMunicipalities,
    queryFn: () => api<{ items: Municipality[] }>('/municipalities').then((b) => b.items),
    staleTime: 5 * 60_000,
  });
}

/** Municipalities in a staff member's scope (a regional role sees all, inactive ones too). */
export function useAdminMunicipalities(enabled = true) {
  return useQuery({
    queryKey: tenancyKeys.adminMunicipalities,
    queryFn: () => api<{ items: Municipality[] }>('/admin/municipalities').then((b) => b.items),
    staleTime: 60_000,
    enabled,
  });
}

export function useDepartments(municipalityId: number | null) {
  return useQuery({
    queryKey: tenancyKeys.departments(municipalityId ?? 0),
    queryFn: () => api<{ items: Department[] }>(`/municipalities/${municipalityId}/departments`).then((b) => b.items),
    enabled: municipalityId !== null,
    staleTime: 60_000,
  });
}

export const createMunicipality = (input: CreateMunicipalityInput) =>
  api<Municipality>('/municipalities', { method: 'POST', body: input });

export const updateMunicipality = (id: number, input: UpdateMunicipalityInput) =>
  api<Municipality>(`/municipalities/${id}`, { method: 'PATCH', body: input });

export const createDepartment = (municipalityId: number, input: DepartmentInput) =>
  api<Department>(`/municipalities/${municipalityId}/departments`, { method: 'POST', body: input });

export const updateDepartment = (id: number, input: DepartmentInput) =>
  api<Department>(`/departments/${id}`, { method: 'PATCH', body: input });
