import './contest.css';
import { Link } from 'react-router';
import { Badge } from '../../app/ui.tsx';
import type { ApplicationStatus, Contest, ContestStatus } from './contest.api.ts';
import { instantRu } from './contest-ru.ts';

const CONTEST_KIND: Record<ContestStatus, 'info' | 'warning' | 'success' | 'neutral'> = {
  setup: 'info',
  meeting: 'warning',
  decided: 'neutral',
  approved: 'success',
  published: 'success',
};
const APPLICATION_KIND: Record<ApplicationStatus, 'info' | 'warning' | 'success' | 'neutral' | 'danger'> = {
  draft: 'neutral',
  submitted: 'info',
  returned: 'danger',
  conforms: 'warning',
  admitted: 'success',
};

export function ContestStatusBadge({ contest }: { contest: Pick<Contest, 'status' | 'statusName'> }) {
  return <Badge kind={CONTEST_KIND[contest.status]}>{contest.statusName}</Badge>;
}

export function ApplicationStatusBadge({ status, name }: { status: ApplicationStatus; name: string }) {
  return <Badge kind={APPLICATION_KIND[status]}>{name}</Badge>;
}

/** The contest's name as the protocol gives it: «Лучшая муниципальная практика» 2026, региональный этап. */
export const contestName = (c: Pick<Contest, 'title' | 'year' | 'stageName'>) => `«${c.title}» ${c.year}, ${c.stageName}`;

/** The application window in the contest's zone. */
export function ContestDates({ contest }: { contest: Contest }) {
  const z = contest.timeZone;
  return (
    <dl className="contest-facts">
      <div>
        <dt>Приём заявок</dt>
        <dd>
          {instantRu(contest.applicationsFrom, z)} — {instantRu(contest.applicationsTo, z)}
        </dd>
      </div>
      {contest.resubmitTo && (
        <div>
          <dt>Повторная подача до</dt>
          <dd>{instantRu(contest.resubmitTo, z)}</dd>
        </div>
      )}
      {contest.reviewTo && (
        <div>
          <dt>Проверка заявок до</dt>
          <dd>{instantRu(contest.reviewTo, z)}</dd>
        </div>
      )}
      {contest.meetingAt && (
        <div>
          <dt>Заседание комиссии</dt>
          <dd>
            {instantRu(contest.meetingAt, z)}
            {contest.meetingPlace ? `, ${contest.meetingPlace}` : ''}
          </dd>
        </div>
      )}
      <div>
        <dt>Голосование</dt>
        <dd>{contest.methodName}</dd>
      </div>
      {contest.method === 'criteria' && contest.criteria.length > 0 && (
        <div>
          <dt>Критерии (вес)</dt>
          <dd>{contest.criteria.map((c) => `${c.name} (${String(c.weight).replace('.', ',')})`).join('; ')}</dd>
        </div>
      )}
      <div>
        <dt>На федеральный этап</dt>
        <dd>первые {contest.recommendTop} в каждой категории</dd>
      </div>
      {contest.regulation && (
        <div>
          <dt>Положение</dt>
          <dd>{contest.regulation}</dd>
        </div>
      )}
    </dl>
  );
}

export function BackToContest({ id, title }: { id: number; title: string }) {
  return (
    <p className="crumbs">
      <Link to="/staff/contest">Конкурсы</Link> / <Link to={`/staff/contest/${id}`}>{title}</Link>
    </p>
  );
}
