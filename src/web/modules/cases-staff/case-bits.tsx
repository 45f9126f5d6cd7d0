import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiError, api } from '../../app/api.ts';
import { hasRole, useMe } from '../../app/session.tsx';
import { Badge } from '../../app/ui.tsx';
import { formatInZone } from '../calendar/zone.ts';
import { useAdminMunicipalities, useDepartments } from '../tenancy/tenancy.api.ts';
import { type CaseSummary, DEADLINE_NAMES, nameOf, STATUS_NAMES, useWorkload } from './cases-staff.api.ts';

/** Statuses in which the case still waits for the administration (a passed deadline makes it overdue). */
export const OPEN_STATUSES = ['registered', 'assigned', 'in_work', 'answer_drafted'];

/** The municipality a staff member works for: their first municipal grant, else the first one in their scope. */
export function useWorkMunicipality(): { id: number | null; zone: string | null } {
  const { me } = useMe();
  const municipalities = useAdminMunicipalities(!!me?.isStaff);
  const granted = me?.roles.find((g) => g.role !== 'resident' && g.municipalityId !== null)?.municipalityId ?? null;
  const id = granted ?? municipalities.data?.[0]?.id ?? null;
  const zone = municipalities.data?.find((m) => m.id === id)?.timeZone ?? null;
  return { id, zone };
}

/** The time zone of a case's municipality (the staff member's scope lists it). */
export function useZoneOf(municipalityId: number | null): string | null {
  const municipalities = useAdminMunicipalities();
  return municipalities.data?.find((m) => m.id === municipalityId)?.timeZone ?? null;
}

/**
 * «29.05.2026 23:59» — the municipality's wall time. The server's instant already carries the municipality's
 * offset; with the zone known the browser's tz database gives the same reading, without it the text is read as is.
 */
export function formatDue(iso: string, zone: string | null): string {
  if (zone) {
    const { date, time } = formatInZone(iso, zone);
    return `${date} ${time}`;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : iso;
}

export const isOverdue = (c: Pick<CaseSummary, 'status' | 'due'>, now = Date.now()) =>
  !!c.due && OPEN_STATUSES.includes(c.status) && Date.parse(c.due.dueAt) < now;

export function StatusBadge({ status }: { status: string }) {
  const kind =
    status === 'answered' || status === 'rated'
      ? 'success'
      : status === 'redirected' || status === 'closed'
        ? 'neutral'
        : status === 'answer_drafted'
          ? 'warning'
          : 'info';
  return <Badge kind={kind}>{nameOf(STATUS_NAMES, status)}</Badge>;
}

/** The red badge says it in words: colour alone is not information (WCAG 1.4.1). */
export function OverdueBadge() {
  return <span className="badge badge--danger case-overdue">Просрочено</span>;
}

export function DueText({ due, zone }: { due: CaseSummary['due']; zone: string | null }) {
  if (!due) return <span className="muted">—</span>;
  return (
    <>
      <span className="case-due__kind">{nameOf(DEADLINE_NAMES, due.kind)}:</span>{' '}
      <time dateTime={due.dueAt} className="nowrap">
        {formatDue(due.dueAt, zone)}
      </time>
    </>
  );
}

export interface Person {
  id: number;
  name: string;
  departmentIds: number[];
  roles: string[];
}

/**
 * Staff of the municipality by id: the staff list where the reader may see it (heads, administrators), the
 * workload panel's names otherwise; an id nobody named stays «сотрудник № N».
 */
export function usePeople(municipalityId: number | null) {
  const { me } = useMe();
  const mayList = hasRole(me, ['head', 'municipal_admin', 'regional_admin']);
  const staff = useQuery({
    queryKey: ['staff', municipalityId ?? 'none', '', 'cases'],
    queryFn: () =>
      api<{
        items: Array<{
          id: number;
          lastName: string;
          firstName: string;
          middleName: string | null;
          isActive: boolean;
          roles: Array<{ role: string; departmentId: number | null; municipalityId: number | null }>;
        }>;
      }>('/staff', { query: { municipalityId, limit: 200 } }).then((b) => b.items),
    enabled: mayList && municipalityId !== null,
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  const workload = useWorkload(municipalityId);
  const departments = useDepartments(municipalityId);
  return useMemo(() => {
    const people = new Map<number, Person>();
    for (const w of workload.data ?? []) {
      people.set(w.userId, {
        id: w.userId,
        name: w.name,
        departmentIds: w.departmentId ? [w.departmentId] : [],
        roles: [],
      });
    }
    for (const s of staff.data ?? []) {
      if (!s.isActive) continue;
      const grants = s.roles.filter((g) => g.municipalityId === municipalityId);
      people.set(s.id, {
        id: s.id,
        name: [s.lastName, s.firstName, s.middleName].filter(Boolean).join(' '),
        departmentIds: grants.map((g) => g.departmentId).filter((d): d is number => d !== null),
        roles: grants.map((g) => g.role),
      });
    }
    if (me && !people.has(me.id)) {
      people.set(me.id, {
        id: me.id,
        name: [me.lastName, me.firstName, me.middleName].filter(Boolean).join(' '),
        departmentIds: me.roles.map((g) => g.departmentId).filter((d): d is number => d !== null),
        roles: me.roles.map((g) => g.role),
      });
    }
    const personName = (id: number | null) => {
      if (id === null) return null;
      const name = people.get(id)?.name ?? `сотрудник (№ ${id})`;
      return id === me?.id ? `${name} (вы)` : name;
    };
    const departmentName = (id: number | null) =>
      id === null ? null : (departments.data?.find((d) => d.id === id)?.name ?? `подразделение № ${id}`);
    return { people, personName, departmentName, departments: departments.data ?? [], staffListed: !!staff.data };
  }, [workload.data, staff.data, departments.data, me, municipalityId]);
}
