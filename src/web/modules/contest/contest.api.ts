import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import {
  type ApplicationStatus,
  type ContestStatus,
  MEMBER_ROLES,
  type MemberRole,
  REQUIRED_SECTIONS,
  SECTIONS,
  type SectionKey,
} from '../../../shared/contest.ts';
import type { MunicipalityType } from '../../../shared/roles.ts';
import { ApiError, api } from '../../app/api.ts';

/*
 * The contest «Лучшая муниципальная практика» (issue 8). The shapes mirror
 * src/server/modules/contest/contest.schemas.ts (ContestViewOut, ApplicationOut, PublicResultsOut).
 */

export type { ApplicationStatus, ContestStatus, MemberRole, SectionKey };
export { MEMBER_ROLES, REQUIRED_SECTIONS, SECTIONS };
export type Method = 'ranking' | 'criteria';
export type Stage = 'regional' | 'federal';

export const MEMBER_ROLE_NAMES: Record<MemberRole, string> = {
  chair: 'Председатель',
  deputy_chair: 'Заместитель председателя',
  secretary: 'Секретарь',
  member: 'Член комиссии',
};

export interface Criterion {
  code: string;
  name: string;
  weight: number;
}

export interface Contest {
  id: number;
  regionId: number;
  regionName: string;
  year: number;
  stage: Stage;
  stageName: string;
  title: string;
  nomination: string;
  organizer: string;
  regulation: string;
  applicationsFrom: string;
  applicationsTo: string;
  resubmitTo: string | null;
  reviewTo: string | null;
  meetingAt: string | null;
  meetingPlace: string;
  agenda: string[];
  method: Method;
  methodName: string;
  criteria: Criterion[];
  recommendTop: number;
  status: ContestStatus;
  statusName: string;
  complianceNote: string;
  protocolNumber: string | null;
  approvedOn: string | null;
  approverPosition: string | null;
  approverName: string | null;
  publishedAt: string | null;
  timeZone: string;
}

export interface TieBreak {
  order: number[];
  basis: string;
  recordedBy: number | null;
  recordedAt: string;
}

export interface Category {
  id: number;
  code: string;
  name: string;
  label: string;
  municipalityTypes: MunicipalityType[];
  tiebreak: TieBreak | null;
  applicationsReceived: number;
}

export interface Member {
  id: number;
  role: MemberRole;
  roleName: string;
  name: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  position: string;
  userId: number | null;
  present: boolean | null;
}

export interface Assignment {
  id: number;
  text: string;
  responsible: string;
  dueOn: string | null;
}

export interface Figure {
  key: string | null;
  label: string;
  value: number | null;
  unit: string;
  definition: string;
  source: string;
  period: { from: string; to: string } | null;
  pulledValue: number | null;
  edited: boolean;
}

export interface ApplicationBrief {
  id: number;
  contestId: number;
  municipalityId: number;
  municipalityName: string;
  applicantName: string;
  categoryId: number;
  status: ApplicationStatus;
  statusName: string;
  remarks: string | null;
  submittedAt: string | null;
  checkedAt: string | null;
  admittedAt: string | null;
  place: number | null;
  recommended: boolean;
  updatedAt: string;
}

/** A file of the application; `attachments` comes from the server once it describes them, else only the ids. */
export interface ApplicationFile {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
}

export interface Application extends ApplicationBrief {
  sections: Partial<Record<SectionKey, string>>;
  sectionNames: Record<SectionKey, string>;
  figures: Figure[];
  attachmentIds: number[];
  attachments?: ApplicationFile[];
}

export interface TallyRow {
  applicationId: number;
  applicantName: string;
  score: number;
  borda: number | null;
  ballots: number;
  place: number | null;
  tiedWith: number[];
  byTieBreak: boolean;
}

export interface Tally {
  categoryId: number;
  label: string;
  method: Method;
  empty: boolean;
  note: string | null;
  rows: TallyRow[];
  unresolved: number[][];
}

export interface ContestView {
  contest: Contest;
  categories: Category[];
  commission: Member[];
  assignments: Assignment[];
  applications: ApplicationBrief[];
  mySeat: { memberId: number; votedCategoryIds: number[] } | null;
  ballots: Array<{ memberId: number; categoryIds: number[] }>;
  tally: Tally[];
}

export interface PublicResults {
  id: number;
  year: number;
  title: string;
  nomination: string;
  regionName: string;
  publishedAt: string | null;
  protocolNumber: string | null;
  approvedOn: string | null;
  categories: Array<{
    code: string;
    label: string;
    note: string | null;
    winners: Array<{ place: number | null; applicantName: string; recommended: boolean }>;
  }>;
}

export interface ContestInput {
  year: number;
  stage: Stage;
  title: string;
  nomination: string;
  organizer?: string;
  regulation?: string;
  applicationsFrom: string;
  applicationsTo: string;
  resubmitTo?: string | null;
  reviewTo?: string | null;
  meetingAt?: string | null;
  meetingPlace?: string;
  agenda?: string[];
  method: Method;
  criteria?: Criterion[];
  recommendTop?: number;
  complianceNote?: string;
  categories?: Array<{ code: string; name: string; municipalityTypes: MunicipalityType[] }>;
}

export interface MemberInput {
  role: MemberRole;
  lastName: string;
  firstName: string;
  middleName?: string | null;
  position: string;
  userId?: number | null;
}

export interface FigureInput {
  key?: string | null;
  label: string;
  value: number | null;
  unit?: string;
  definition?: string;
  source?: string;
}

export interface ApplicationInput {
  applicantName?: string;
  sections?: Partial<Record<SectionKey, string>>;
  figures?: FigureInput[];
  attachmentIds?: number[];
}

export interface BallotInput {
  categoryId: number;
  memberId?: number;
  ranking?: number[];
  scores?: Array<{ applicationId: number; scores: Record<string, number> }>;
}

const noRetryOnClientError = (count: number, error: unknown) => !(error instanceof ApiError && error.status < 500) && count < 2;

export const contestKeys = {
  all: ['contest'] as const,
  list: ['contest', 'list'] as const,
  view: (id: number) => ['contest', 'view', id] as const,
  application: (id: number) => ['contest', 'application', id] as const,
  publicList: ['contest', 'public'] as const,
  publicOne: (id: number) => ['contest', 'public', id] as const,
};

export function useContests() {
  return useQuery({
    queryKey: contestKeys.list,
    queryFn: ({ signal }) => api<{ items: Contest[] }>('/contests', { signal }).then((b) => b.items),
    retry: noRetryOnClientError,
  });
}

export function useContest(id: number) {
  return useQuery({
    queryKey: contestKeys.view(id),
    queryFn: ({ signal }) => api<ContestView>(`/contests/${id}`, { signal }),
    enabled: id > 0,
    retry: noRetryOnClientError,
  });
}

export function useApplication(id: number) {
  return useQuery({
    queryKey: contestKeys.application(id),
    queryFn: ({ signal }) => api<Application>(`/contest-applications/${id}`, { signal }),
    enabled: id > 0,
    retry: noRetryOnClientError,
  });
}

export function usePublicContests() {
  return useQuery({
    queryKey: contestKeys.publicList,
    queryFn: ({ signal }) => api<{ items: PublicResults[] }>('/public/contests', { signal }).then((b) => b.items),
    retry: noRetryOnClientError,
  });
}

export function usePublicContest(id: number) {
  return useQuery({
    queryKey: contestKeys.publicOne(id),
    queryFn: ({ signal }) => api<PublicResults>(`/public/contests/${id}`, { signal }),
    enabled: id > 0,
    retry: noRetryOnClientError,
  });
}

/** After any change: the contest's queries are read again (list, view, applications). */
export function useRefreshContest() {
  const client = useQueryClient();
  return useCallback(() => client.invalidateQueries({ queryKey: contestKeys.all }), [client]);
}

export const createContest = (regionId: number, input: ContestInput) =>
  api<ContestView>(`/regions/${regionId}/contests`, { method: 'POST', body: input });
export const updateContest = (id: number, input: Partial<Omit<ContestInput, 'categories'>>) =>
  api<ContestView>(`/contests/${id}`, { method: 'PATCH', body: input });
export const saveCommission = (id: number, members: MemberInput[]) =>
  api<ContestView>(`/contests/${id}/commission`, { method: 'PUT', body: { members } });
export const saveAssignments = (id: number, items: Array<{ text: string; responsible: string; dueOn: string | null }>) =>
  api<ContestView>(`/contests/${id}/assignments`, { method: 'PUT', body: { items } });

export const startApplication = (contestId: number, municipalityId: number, input: ApplicationInput = {}) =>
  api<Application>(`/contests/${contestId}/applications`, { method: 'POST', body: { municipalityId, ...input } });
export const saveApplication = (id: number, input: ApplicationInput) =>
  api<Application>(`/contest-applications/${id}`, { method: 'PATCH', body: input });
export const pullFigures = (id: number, q: { from: string; to: string; keys?: string[] }) =>
  api<Application>(`/contest-applications/${id}/figures/pull`, { method: 'POST', body: q });
export const submitApplication = (id: number) => api<Application>(`/contest-applications/${id}/submit`, { method: 'POST' });
export const checkApplication = (id: number, input: { conforms: boolean; remarks?: string }) =>
  api<Application>(`/contest-applications/${id}/check`, { method: 'POST', body: input });
export const admitApplication = (id: number) => api<Application>(`/contest-applications/${id}/admit`, { method: 'POST' });

export const recordAttendance = (id: number, present: number[]) =>
  api<{ ok: boolean }>(`/contests/${id}/meeting/attendance`, { method: 'PUT', body: { present } });
export const openMeeting = (id: number) => api<{ ok: boolean }>(`/contests/${id}/meeting/open`, { method: 'POST' });
export const closeMeeting = (id: number) => api<{ ok: boolean }>(`/contests/${id}/meeting/close`, { method: 'POST' });
export const publishResults = (id: number) => api<{ ok: boolean }>(`/contests/${id}/publish`, { method: 'POST' });
export const castBallot = (id: number, input: BallotInput) =>
  api<{ ok: boolean }>(`/contests/${id}/ballots`, { method: 'POST', body: input });
export const breakTie = (id: number, categoryId: number, input: { order: number[]; basis: string }) =>
  api<{ ok: boolean }>(`/contests/${id}/categories/${categoryId}/tiebreak`, { method: 'POST', body: input });
export const approveProtocol = (
  id: number,
  input: { number: string; approvedOn: string; approverPosition?: string; approverName?: string },
) => api<{ ok: boolean }>(`/contests/${id}/protocol/approve`, { method: 'POST', body: input });

export const protocolUrl = (id: number, format: 'docx' | 'pdf') => `/api/v1/contests/${id}/protocol.${format}`;
export const federalPackageUrl = (applicationId: number, format: 'docx' | 'pdf') =>
  `/api/v1/contest-applications/${applicationId}/federal-package.${format}`;

/** The files of an application: the server's descriptions when it gives them, else links by id. */
export function applicationFiles(a: Pick<Application, 'attachmentIds' | 'attachments'>): ApplicationFile[] {
  if (a.attachments) return a.attachments;
  return a.attachmentIds.map((id) => ({
    id,
    fileName: `Файл № ${id}`,
    contentType: '',
    size: 0,
    url: `/api/v1/attachments/${id}`,
  }));
}

/**
 * The federal-stage application package (DOCX/PDF) of a recommended application: made once the protocol is approved.
 */
export const hasFederalPackage = (c: Pick<Contest, 'status'>, a: Pick<ApplicationBrief, 'recommended'>) =>
  a.recommended && (c.status === 'approved' || c.status === 'published');
