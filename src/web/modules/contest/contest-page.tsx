import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMe } from '../../app/session.tsx';
import { Alert, EmptyState, Loading, Notice, QueryError, SelectField, usePageTitle } from '../../app/ui.tsx';
import type { Me } from '../accounts/accounts.api.ts';
import {
  type ContestView,
  federalPackageUrl,
  hasFederalPackage,
  saveCommission,
  startApplication,
  updateContest,
  useContest,
  useRefreshContest,
} from './contest.api.ts';
import { ApplicationStatusBadge, ContestDates, ContestStatusBadge } from './contest-bits.tsx';
import { contestError, instantRu } from './contest-ru.ts';
import { ApplicationsPanel, MeetingPanel, ProtocolPanel, TallyPanel } from './meeting-panel.tsx';
import { CommissionForm, ContestForm } from './setup-forms.tsx';

const isRegionalAdminOf = (me: Me | null | undefined, regionId: number) =>
  !!me?.roles.some((g) => g.role === 'regional_admin' && g.regionId === regionId);
const isCommissionOf = (me: Me | null | undefined, regionId: number) =>
  !!me?.roles.some((g) => g.role === 'commission_member' && g.regionId === regionId);

/** One contest: the region runs it, a municipality applies, the commission follows the meeting and votes. */
export function ContestPage() {
  const id = Number(useParams().id);
  const { me } = useMe();
  const view = useContest(id);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(view.data ? `Конкурс «${view.data.contest.title}» ${view.data.contest.year}` : 'Конкурс');

  if (view.isPending) return <Loading />;
  if (view.isError) return <QueryError error={view.error} onRetry={() => view.refetch()} />;
  const v = view.data;
  const c = v.contest;
  const regional = isRegionalAdminOf(me, c.regionId);
  const commission = isCommissionOf(me, c.regionId);
  const municipalities = (me?.roles ?? []).filter((g) => g.role === 'municipal_admin' && g.municipalityId !== null);

  return (
    <>
      <p className="crumbs">
        <Link to="/staff/contest">Конкурсы</Link>
      </p>
      <div className="page-head">
        <h1>
          «{c.title}» {c.year}
        </h1>
        <ContestStatusBadge contest={c} />
      </div>
      <p className="contest-card__meta">
        {c.stageName[0]?.toUpperCase()}
        {c.stageName.slice(1)} · {c.regionName}
        {c.organizer ? ` · ${c.organizer}` : ''}
      </p>
      <p className="contest-nomination">
        <span className="muted">Номинация: </span>
        {c.nomination}
      </p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {v.mySeat && <VoteCall view={v} />}
      {regional ? (
        <RegionView view={v} onNotice={setNotice} />
      ) : (
        <section className="section" aria-labelledby="contest-terms">
          <h2 id="contest-terms">Условия</h2>
          <ContestDates contest={c} />
        </section>
      )}
      {!regional && municipalities.length > 0 && <MunicipalityView view={v} municipalities={municipalities} />}
      {!regional && commission && <CommissionView view={v} />}
    </>
  );
}

/** A commission member with a seat: where to vote, or that the vote is recorded. */
function VoteCall({ view }: { view: ContestView }) {
  const c = view.contest;
  const seat = view.mySeat;
  if (!seat) return null;
  const open = view.categories.filter((k) => view.applications.some((a) => a.categoryId === k.id && a.status === 'admitted'));
  const left = open.filter((k) => !seat.votedCategoryIds.includes(k.id));
  if (c.status !== 'meeting') return null;
  return (
    <Alert kind={left.length ? 'warning' : 'success'} title={left.length ? 'Идёт голосование' : 'Ваш голос учтён'}>
      {left.length ? (
        <p>
          Заседание открыто: проголосуйте в категориях {left.map((k) => k.code).join(', ')}.{' '}
          <Link to={`/staff/contest/${c.id}/vote`}>Перейти к голосованию</Link>
        </p>
      ) : (
        <p>Вы проголосовали во всех категориях. Итоги появятся после закрытия заседания.</p>
      )}
    </Alert>
  );
}

function RegionView({ view, onNotice }: { view: ContestView; onNotice: (text: string) => void }) {
  const c = view.contest;
  const refresh = useRefreshContest();
  const [editing, setEditing] = useState<'terms' | 'commission' | null>(null);
  const setup = c.status === 'setup';
  return (
    <>
      <section className="section" aria-labelledby="contest-terms">
        <div className="section-head">
          <h2 id="contest-terms">Условия</h2>
          {setup && editing !== 'terms' && (
            <button type="button" className="button button--secondary button--small" onClick={() => setEditing('terms')}>
              Изменить условия
            </button>
          )}
        </div>
        {editing === 'terms' ? (
          <ContestForm
            contest={c}
            onCancel={() => setEditing(null)}
            onSave={async ({ categories: _categories, ...input }) => {
              await updateContest(c.id, input);
              await refresh();
              setEditing(null);
              onNotice('Условия конкурса сохранены.');
            }}
          />
        ) : (
          <>
            <ContestDates contest={c} />
            <p className="small muted">Категории: {view.categories.map((k) => k.label).join('; ')}.</p>
          </>
        )}
      </section>

      <section className="section" aria-labelledby="contest-commission">
        <div className="section-head">
          <h2 id="contest-commission">Конкурсная комиссия</h2>
          {setup && editing !== 'commission' && (
            <button type="button" className="button button--secondary button--small" onClick={() => setEditing('commission')}>
              {view.commission.length ? 'Изменить состав' : 'Сформировать комиссию'}
            </button>
          )}
        </div>
        {editing === 'commission' ? (
          <CommissionForm
            contestId={c.id}
            members={view.commission}
            onCancel={() => setEditing(null)}
            onSave={async (members) => {
              await saveCommission(c.id, members);
              await refresh();
              setEditing(null);
              onNotice('Состав комиссии сохранён.');
            }}
          />
        ) : view.commission.length === 0 ? (
          <p className="muted">Комиссия ещё не сформирована.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Состав конкурсной комиссии</caption>
              <thead>
                <tr>
                  <th scope="col">Член комиссии</th>
                  <th scope="col">Роль</th>
                  <th scope="col">Должность</th>
                  <th scope="col">Голосует</th>
                </tr>
              </thead>
              <tbody>
                {view.commission.map((m) => (
                  <tr key={m.id}>
                    <th scope="row" data-label="Член комиссии">
                      {m.name}
                    </th>
                    <td data-label="Роль">{m.roleName}</td>
                    <td data-label="Должность">{m.position}</td>
                    <td data-label="Голосует">{m.userId === null ? 'на бумаге' : 'на сайте'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ApplicationsPanel view={view} onNotice={onNotice} />
      <MeetingPanel view={view} onNotice={onNotice} />
      {c.status !== 'setup' && <TallyPanel view={view} onNotice={onNotice} editable={c.status === 'meeting'} />}
      <ProtocolPanel view={view} onNotice={onNotice} />
    </>
  );
}

function MunicipalityView({
  view,
  municipalities,
}: {
  view: ContestView;
  municipalities: Array<{ municipalityId: number | null; municipalityName: string | null }>;
}) {
  const c = view.contest;
  const navigate = useNavigate();
  const refresh = useRefreshContest();
  const [chosen, setChosen] = useState(String(municipalities[0]?.municipalityId ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = view.applications;
  const without = municipalities.filter((m) => !mine.some((a) => a.municipalityId === m.municipalityId));
  const open = c.status === 'setup' && Date.now() <= new Date(c.applicationsTo).getTime();

  async function start() {
    setBusy(true);
    setError(null);
    try {
      const a = await startApplication(c.id, Number(chosen));
      await refresh();
      navigate(`/staff/contest/applications/${a.id}`);
    } catch (err) {
      setError(contestError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="section" aria-labelledby="contest-mine">
      <h2 id="contest-mine">Заявка муниципалитета</h2>
      {mine.length === 0 && !open && (
        <EmptyState icon="trophy" title="Заявки нет">
          <p>Приём заявок по этому конкурсу закрыт.</p>
        </EmptyState>
      )}
      {mine.length > 0 && (
        <ul className="contest-list">
          {mine.map((a) => (
            <li key={a.id} className="card contest-card">
              <h3 className="contest-card__title">
                <Link to={`/staff/contest/applications/${a.id}`}>{a.applicantName}</Link>
              </h3>
              <p className="contest-card__meta">
                <ApplicationStatusBadge status={a.status} name={a.statusName} />
                {a.submittedAt && ` · подана ${instantRu(a.submittedAt, c.timeZone)}`}
                {a.place !== null && ` · ${a.place} место`}
                {a.recommended && ' · рекомендована на федеральный этап'}
              </p>
              {a.status === 'returned' && a.remarks && (
                <p className="contest-remarks">
                  <strong>Замечания: </strong>
                  {a.remarks}
                </p>
              )}
              {hasFederalPackage(c, a) && (
                <p className="contest-links">
                  Пакет заявки на федеральный этап:{' '}
                  <a href={federalPackageUrl(a.id, 'docx')} download>
                    DOCX
                  </a>{' '}
                  <a href={federalPackageUrl(a.id, 'pdf')} download>
                    PDF
                  </a>
                </p>
              )}
              <Link to={`/staff/contest/applications/${a.id}`} className="button button--small">
                {a.status === 'draft' || a.status === 'returned' ? 'Продолжить заполнение' : 'Открыть заявку'}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {open && without.length > 0 && (
        <div className="card">
          {error && (
            <div className="alert alert--error" role="alert">
              <p>{error}</p>
            </div>
          )}
          {without.length > 1 && (
            <SelectField id="contest-apply-municipality" label="От какого муниципалитета" value={chosen} onValue={setChosen}>
              {without.map((m) => (
                <option key={m.municipalityId} value={String(m.municipalityId)}>
                  {m.municipalityName}
                </option>
              ))}
            </SelectField>
          )}
          <p>
            Заявку можно заполнять по частям и сохранять черновик; подать её нужно до {instantRu(c.applicationsTo, c.timeZone)}.
          </p>
          <button type="button" className="button" onClick={start} disabled={busy}>
            Начать заявку{without.length === 1 ? ` — ${without[0]?.municipalityName}` : ''}
          </button>
        </div>
      )}
    </section>
  );
}

function CommissionView({ view }: { view: ContestView }) {
  const c = view.contest;
  const { me } = useMe();
  // The chair breaks a tie during the meeting (the deciding vote), as the region's administrator may on their behalf.
  const chair = !!me && view.commission.some((m) => m.role === 'chair' && m.userId === me.id);
  return (
    <>
      <section className="section" aria-labelledby="contest-admitted">
        <h2 id="contest-admitted">Допущенные заявки</h2>
        {view.applications.length === 0 ? (
          <p className="muted">Допущенных заявок пока нет.</p>
        ) : (
          view.categories.map((k) => {
            const list = view.applications.filter((a) => a.categoryId === k.id);
            return (
              <div key={k.id}>
                <h3 className="contest-category">{k.label}</h3>
                {list.length === 0 ? (
                  <p className="muted">Заявок не поступило.</p>
                ) : (
                  <ul className="contest-app-list">
                    {list.map((a) => (
                      <li key={a.id}>
                        <Link to={`/staff/contest/applications/${a.id}`}>{a.applicantName}</Link>
                        {a.place !== null && ` — ${a.place} место`}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })
        )}
        {c.status === 'meeting' && view.mySeat && (
          <Link to={`/staff/contest/${c.id}/vote`} className="button">
            К голосованию
          </Link>
        )}
      </section>
      {c.status !== 'setup' && view.tally.length > 0 && <TallyPanel view={view} editable={chair && c.status === 'meeting'} />}
      {c.status !== 'setup' && c.status !== 'meeting' && <ProtocolPanel view={view} />}
    </>
  );
}
