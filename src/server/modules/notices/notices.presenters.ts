import type { Static } from 'typebox';
import { formatInstant } from '../../core/time/index.ts';
import type { NoticeRow } from './notices.repository.ts';
import type { NoticeOut } from './notices.schemas.ts';

/** Times in the case's municipality's zone (as on the case card); without a case, UTC. */
const at = (d: Date, zone: string | null) => (zone ? formatInstant(d, zone) : d.toISOString());

export function presentNotice(n: NoticeRow): Static<typeof NoticeOut> {
  return {
    id: n.id,
    caseId: n.case_id,
    caseNumber: n.case_number,
    kind: n.kind,
    title: n.title,
    text: n.text,
    at: at(n.created_at, n.time_zone),
    readAt: n.read_at ? at(n.read_at, n.time_zone) : null,
  };
}
