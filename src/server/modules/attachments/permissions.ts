import type { Principal } from '../../core/auth/principal.ts';
import { canReadCasesOf } from '../cases/index.ts';

export interface AttachmentAccess {
  uploaded_by: number;
  case_id: number | null;
  municipality_id: number | null;
  applicant_user_id: number | null;
}

/**
 * Who may download a file: its uploader; once it is on a case, the case's signed-in applicant and the staff who
 * read that municipality's cases (the same rule as the card). `staff` reads are personal-data reads (audited).
 */
export function downloadAccess(p: Principal | undefined, a: AttachmentAccess): 'own' | 'applicant' | 'staff' | null {
  if (!p) return null;
  if (a.uploaded_by === p.userId) return 'own';
  if (a.case_id === null || a.municipality_id === null) return null;
  if (a.applicant_user_id === p.userId) return 'applicant';
  if (canReadCasesOf(p, a.municipality_id)) return 'staff';
  return null;
}
