import './contest.css';
import { Link, useParams } from 'react-router';
import { EmptyState, Loading, QueryError, usePageTitle } from '../../app/ui.tsx';
import { type PublicResults, usePublicContest, usePublicContests } from './contest.api.ts';
import { localDateRu } from './contest-ru.ts';

/**
 * The published winners on the public site: places and recommendations per category, the protocol's number and
 * date — no persons, no texts of the applications. `/contests` lists every published contest, `/contests/:id` one.
 */
export function PublicContestsPage() {
  const id = Number(useParams().id ?? 0);
  return id > 0 ? <OneContest id={id} /> : <AllContests />;
}

function AllContests() {
  usePageTitle('Итоги конкурса «Лучшая муниципальная практика»');
  const list = usePublicContests();
  return (
    <div className="container page">
      <h1>Итоги конкурса «Лучшая муниципальная практика»</h1>
      <p className="lead">Победители регионального этапа по решению конкурсной комиссии.</p>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} onRetry={() => list.refetch()} />}
      {list.data && list.data.length === 0 && (
        <EmptyState icon="trophy" title="Итоги пока не опубликованы">
          <p>Итоги появятся здесь после утверждения протокола конкурсной комиссии.</p>
        </EmptyState>
      )}
      {list.data?.map((r) => (
        <Results key={r.id} results={r} linked />
      ))}
    </div>
  );
}

function OneContest({ id }: { id: number }) {
  const one = usePublicContest(id);
  usePageTitle(one.data ? `Итоги конкурса «${one.data.title}» ${one.data.year}` : 'Итоги конкурса');
  return (
    <div className="container page">
      <p className="crumbs">
        <Link to="/contests">Все итоги конкурса</Link>
      </p>
      {one.isPending && <Loading />}
      {one.isError && <QueryError error={one.error} />}
      {one.data && <Results results={one.data} headingLevel={1} />}
    </div>
  );
}

function Results({
  results: r,
  linked = false,
  headingLevel = 2,
}: {
  results: PublicResults;
  linked?: boolean;
  headingLevel?: 1 | 2;
}) {
  const H = headingLevel === 1 ? 'h1' : 'h2';
  const Sub = headingLevel === 1 ? 'h2' : 'h3';
  const title = `«${r.title}» ${r.year}`;
  return (
    <article className="card contest-public" aria-labelledby={`results-${r.id}`}>
      <H id={`results-${r.id}`} className="contest-public__title">
        {linked ? <Link to={`/contests/${r.id}`}>{title}</Link> : title}
      </H>
      <p className="muted">
        {r.regionName}
        {r.protocolNumber && ` · протокол № ${r.protocolNumber}`}
        {r.approvedOn && ` от ${localDateRu(r.approvedOn)}`}
      </p>
      <p className="contest-nomination">
        <span className="muted">Номинация: </span>
        {r.nomination}
      </p>
      {r.categories.map((k) => (
        <section key={k.code} className="contest-public__category">
          <Sub className="contest-category">{k.label}</Sub>
          {k.winners.length === 0 ? (
            <p className="muted">{k.note ? `${k.note[0]?.toUpperCase()}${k.note.slice(1)}.` : 'Места не распределялись.'}</p>
          ) : (
            <ol className="contest-winners">
              {k.winners.map((w) => (
                <li key={`${w.place}-${w.applicantName}`} className={`contest-winner contest-winner--${w.place ?? 0}`}>
                  <span className="contest-winner__place" aria-hidden="true">
                    {w.place}
                  </span>
                  <span className="contest-winner__name">
                    <span className="visually-hidden">{w.place} место: </span>
                    {w.applicantName}
                    {w.recommended && <span className="contest-winner__note">рекомендовано к участию в федеральном этапе</span>}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      ))}
    </article>
  );
}
