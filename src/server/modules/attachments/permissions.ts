import type { Principal } from '../../core/auth/principal.ts';
import { canReadCasesOf } from '../cases/index.ts';

export interface AttachmentAccess {
  uploaded_by: number;
  case_id: number | null;
  municipality_id: number | null;
  applicant_user_id: number | null;
  /** Issue 8: the contest application owning the file, with its municipality and status and the contest's region. */
  contest_application_id: number | null;
  application_municipality_id: number | null;
  application_status: string | null;
  contest_region_id: number | null;
}

export type DownloadAccess = 'own' | 'applicant' | 'staff' | 'contest' | null;

/**
 * Who may download a file: its uploader; once it is on a case, the case's signed-in applicant and the staff who
 * read that municipality's cases (the same rule as the card). `staff` reads are personal-data reads (audited).
 *
 * A file on a contest application (issue 8) is read as the application is (contest/commands/applications.ts
 * `applicationFor`, roles as in contest/permissions.ts): the applying municipality's administrators, the contest
 * region's administrators, and the region's commission members once the application is admitted — and nobody else,
 * not even its uploader without one of those roles. Publication of the results makes places and names public, never
 * the application's files.
 */
export function downloadAccess(p: Principal | undefined, a: AttachmentAccess): DownloadAccess {
  if (!p) return null;
  if (a.contest_application_id !== null) {
    const has = (role: string, scope: (g: Principal['roles'][number]) => boolean) =>
      p.roles.some((g) => g.role === role && scope(g));
    if (has('municipal_admin', (g) => g.municipalityId === a.application_municipality_id)) return 'contest';
    if (has('regional_admin', (g) => g.regionId === a.contest_region_id)) return 'contest';
    if (a.application_status === 'admitted' && has('commission_member', (g) => g.regionId === a.contest_region_id)) {
      return 'contest';
    }
    return null;
  }
  if (a.uploaded_by === p.userId) return 'own';
  if (a.case_id === null || a.municipality_id === null) return null;
  if (a.applicant_user_id === p.userId) return 'applicant';
  if (canReadCasesOf(p, a.municipality_id)) return 'staff';
  return null;
}
