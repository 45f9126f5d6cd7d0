import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { hasRole, useMe } from '../../app/session.tsx';
import { EmptyState, Loading, QueryError, usePageTitle } from '../../app/ui.tsx';
import { createContest, useContests, useRefreshContest } from './contest.api.ts';
import { ContestStatusBadge } from './contest-bits.tsx';
import { instantRu } from './contest-ru.ts';
import { ContestForm } from './setup-forms.tsx';

/** The contests the reader may see; the region's administrator sets up a new one here. */
export function ContestsPage() {
  usePageTitle('Конкурс «Лучшая муниципальная практика»');
  const { me } = useMe();
  const contests = useContests();
  const refresh = useRefreshContest();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const regionId = me?.roles.find((g) => g.role === 'regional_admin')?.regionId ?? null;
  const regional = hasRole(me, ['regional_admin']);

  return (
    <>
      <div className="page-head">
        <h1>Конкурс «Лучшая муниципальная практика»</h1>
        {regional && regionId !== null && !creating && (
          <button type="button" className="button" onClick={() => setCreating(true)}>
            Новый конкурс
          </button>
        )}
      </div>
      <p className="lead">
        Региональный этап Всероссийского конкурса: заявки муниципалитетов, проверка на соответствие Положению, голосование
        конкурсной комиссии, протокол и публикация итогов.
      </p>
      {creating && regionId !== null && (
        <ContestForm
          contest={null}
          onCancel={() => setCreating(false)}
          onSave={async (input) => {
            const view = await createContest(regionId, input);
            await refresh();
            navigate(`/staff/contest/${view.contest.id}`);
          }}
        />
      )}
      {contests.isPending && <Loading />}
      {contests.isError && <QueryError error={contests.error} onRetry={() => contests.refetch()} />}
      {contests.data && contests.data.length === 0 && !creating && (
        <EmptyState icon="trophy" title="Конкурсов пока нет">
          {regional ? <p>Создайте конкурс кнопкой «Новый конкурс».</p> : <p>Когда регион объявит конкурс, он появится здесь.</p>}
        </EmptyState>
      )}
      {contests.data && contests.data.length > 0 && (
        <ul className="contest-list">
          {contests.data.map((c) => (
            <li key={c.id} className="card contest-card">
              <h2 className="contest-card__title">
                <Link to={`/staff/contest/${c.id}`}>
                  «{c.title}» {c.year}
                </Link>
              </h2>
              <p className="contest-card__meta">
                {c.stageName} · {c.regionName} · <ContestStatusBadge contest={c} />
              </p>
              <p className="contest-card__nomination">{c.nomination}</p>
              <p className="small muted">
                Приём заявок: {instantRu(c.applicationsFrom, c.timeZone)} — {instantRu(c.applicationsTo, c.timeZone)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
