import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { hasRole, useMe } from '../../app/session.tsx';
import {
  CheckboxField,
  EmptyState,
  FilterActions,
  Loading,
  QueryError,
  SelectField,
  TextField,
  usePageTitle,
} from '../../app/ui.tsx';
import { DueText, isOverdue, OverdueBadge, StatusBadge, usePeople, useWorkMunicipality } from './case-bits.tsx';
import {
  CHANNEL_NAMES,
  nameOf,
  type QueueFilter,
  REGIME_NAMES,
  STATUS_NAMES,
  useCaseQueue,
  useCategories,
  useWorkload,
} from './cases-staff.api.ts';
import { QueueMap } from './queue-map.tsx';

const TEXT_KEYS = ['status', 'regime', 'channel', 'category', 'department', 'executor', 'q'] as const;
type Draft = Record<(typeof TEXT_KEYS)[number], string> & { dueToday: boolean; overdue: boolean };

const EMPTY: Draft = {
  status: '',
  regime: '',
  channel: '',
  category: '',
  department: '',
  executor: '',
  q: '',
  dueToday: false,
  overdue: false,
};

/** The filters live in the address: a reload, the back button or a shared link shows the same queue. */
function draftOf(params: URLSearchParams): Draft {
  const d: Draft = { ...EMPTY };
  for (const k of TEXT_KEYS) d[k] = params.get(k) ?? '';
  d.dueToday = params.get('dueToday') === '1';
  d.overdue = params.get('overdue') === '1';
  return d;
}

function filterOf(d: Draft): QueueFilter {
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);
  const f: QueueFilter = {};
  if (d.status) f.status = d.status;
  if (d.regime) f.regime = d.regime;
  if (d.channel) f.channel = d.channel;
  const category = num(d.category);
  if (category) f.category = category;
  const department = num(d.department);
  if (department) f.department = department;
  const executor = num(d.executor);
  if (executor) f.executor = executor;
  if (d.q.trim()) f.q = d.q.trim();
  if (d.dueToday) f.dueToday = true;
  if (d.overdue) f.overdue = true;
  return f;
}

type View = 'list' | 'map';

/** The filters in the address, and the view (`view=map`) when it is the map. */
function paramsOf(d: Draft, view: View = 'list'): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of TEXT_KEYS) if (d[k].trim()) p.set(k, d[k].trim());
  if (d.dueToday) p.set('dueToday', '1');
  if (d.overdue) p.set('overdue', '1');
  if (view === 'map') p.set('view', 'map');
  return p;
}

/** The same filters, as a list or on the map: two links that keep the address's filters. */
function ViewSwitch({ view, draft }: { view: View; draft: Draft }) {
  const link = (to: View, label: string) => (
    <Link
      to={{ search: `?${paramsOf(draft, to).toString()}` }}
      className={`button button--small${view === to ? '' : ' button--secondary'}`}
      aria-current={view === to ? 'page' : undefined}
    >
      {label}
    </Link>
  );
  return (
    <nav className="actions" aria-label="Вид очереди">
      {link('list', 'Списком')}
      {link('map', 'На карте')}
    </nav>
  );
}

function WorkloadPanel({ municipalityId }: { municipalityId: number | null }) {
  const workload = useWorkload(municipalityId);
  // Nothing until the route exists (404 → null) or while it loads: the queue is the page's business.
  if (!workload.data || workload.data.length === 0) return null;
  return (
    <section className="card case-workload" aria-labelledby="workload-title">
      <h2 id="workload-title" className="card__title">
        Нагрузка исполнителей
      </h2>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Открытые обращения по исполнителям</caption>
          <thead>
            <tr>
              <th scope="col">Исполнитель</th>
              <th scope="col">Подразделение</th>
              <th scope="col">В работе</th>
              <th scope="col">Срок скоро</th>
              <th scope="col">Просрочено</th>
            </tr>
          </thead>
          <tbody>
            {workload.data.map((w) => (
              <tr key={`${w.userId}-${w.departmentId ?? ''}`}>
                <th scope="row" data-label="Исполнитель">
                  {w.name}
                </th>
                <td data-label="Подразделение">{w.departmentName ?? '—'}</td>
                <td data-label="В работе" className="num">
                  {w.open}
                </td>
                <td data-label="Срок скоро" className="num">
                  {w.dueSoon}
                </td>
                <td data-label="Просрочено" className="num">
                  {w.overdue > 0 ? <strong className="case-overdue-count">{w.overdue}</strong> : 0}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function CaseQueuePage() {
  usePageTitle('Обращения');
  const { me } = useMe();
  const [params, setParams] = useSearchParams();
  const applied = draftOf(params);
  const [draft, setDraft] = useState<Draft>(applied);
  const paramsKey = params.toString();
  // Back and forward move through earlier filters: the form follows the address.
  useEffect(() => setDraft(draftOf(new URLSearchParams(paramsKey))), [paramsKey]);
  const view: View = params.get('view') === 'map' ? 'map' : 'list';
  const filter = filterOf(applied);
  const { id: municipalityId } = useWorkMunicipality();
  const categories = useCategories(municipalityId);
  const { people, departments } = usePeople(municipalityId);
  const set = (field: (typeof TEXT_KEYS)[number]) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const mayRegister = hasRole(me, ['operator', 'municipal_admin', 'regional_admin']);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setParams(paramsOf(draft, view));
  };
  const reset = () => {
    setDraft(EMPTY);
    setParams(paramsOf(EMPTY, view));
  };

  return (
    <>
      <div className="page-head">
        <h1>Обращения</h1>
        {mayRegister && (
          <Link to="/staff/cases/new" className="button">
            Зарегистрировать обращение
          </Link>
        )}
      </div>
      <p className="lead">
        {view === 'map'
          ? 'Обращения с отмеченным местом; щелчок по точке открывает обращение. Просроченные — красные.'
          : 'Сначала — те, у которых срок истекает раньше. Просроченные отмечены.'}
      </p>

      <section className="card filters" aria-labelledby="cases-filters-title">
        <h2 id="cases-filters-title" className="card__title">
          Отбор
        </h2>
        <form onSubmit={apply} noValidate className="form form--filters">
          <TextField
            id="cases-q"
            label="Поиск по тексту и номеру"
            type="search"
            value={draft.q}
            onValue={set('q')}
            optional
            fieldClassName="case-filters__search"
          />
          <SelectField id="cases-status" label="Статус" value={draft.status} onValue={set('status')}>
            <option value="">Любой</option>
            {Object.entries(STATUS_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </SelectField>
          <SelectField id="cases-regime" label="Порядок" value={draft.regime} onValue={set('regime')}>
            <option value="">Любой</option>
            {Object.entries(REGIME_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </SelectField>
          <SelectField id="cases-channel" label="Канал" value={draft.channel} onValue={set('channel')}>
            <option value="">Любой</option>
            {Object.entries(CHANNEL_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </SelectField>
          <SelectField id="cases-category" label="Категория" value={draft.category} onValue={set('category')}>
            <option value="">Любая</option>
            {categories.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <SelectField id="cases-department" label="Подразделение" value={draft.department} onValue={set('department')}>
            <option value="">Любое</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </SelectField>
          <SelectField id="cases-executor" label="Исполнитель" value={draft.executor} onValue={set('executor')}>
            <option value="">Любой</option>
            {me && <option value={me.id}>Назначенные мне</option>}
            {[...people.values()]
              .filter((p) => p.id !== me?.id)
              .sort((a, b) => a.name.localeCompare(b.name, 'ru'))
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
          </SelectField>
          <div className="case-filters__checks">
            <CheckboxField
              id="cases-dueToday"
              label="Срок сегодня"
              checked={draft.dueToday}
              onChecked={(v) => setDraft((d) => ({ ...d, dueToday: v }))}
            />
            <CheckboxField
              id="cases-overdue"
              label="Просрочено"
              checked={draft.overdue}
              onChecked={(v) => setDraft((d) => ({ ...d, overdue: v }))}
            />
          </div>
          <FilterActions onReset={reset} />
        </form>
      </section>

      <ViewSwitch view={view} draft={applied} />
      {view === 'map' ? (
        <QueueMap filter={filter} municipalityId={municipalityId} categories={categories.data} />
      ) : (
        <QueueList filter={filter} filtered={paramsOf(applied).toString() !== ''} />
      )}
      <WorkloadPanel municipalityId={municipalityId} />
    </>
  );
}

/** The queue as a table, nearest deadline first, a page at a time. */
function QueueList({ filter, filtered }: { filter: QueueFilter; filtered: boolean }) {
  const queue = useCaseQueue(filter);
  const { id: municipalityId, zone } = useWorkMunicipality();
  const { personName, departmentName } = usePeople(municipalityId);
  const rows = queue.data?.pages.flat();
  return (
    <>
      {queue.isPending && <Loading />}
      {queue.isError && <QueryError error={queue.error} onRetry={() => queue.refetch()} />}
      {rows && rows.length === 0 && (
        <EmptyState icon="inbox" title={filtered ? 'Ничего не найдено' : 'Обращений пока нет'}>
          {filtered && <p>Измените условия отбора или сбросьте их.</p>}
        </EmptyState>
      )}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table className="table case-queue">
            <caption className="visually-hidden">Обращения, по ближайшему сроку</caption>
            <thead>
              <tr>
                <th scope="col">Номер</th>
                <th scope="col">Категория</th>
                <th scope="col">Статус</th>
                <th scope="col">Исполнитель</th>
                <th scope="col">Срок</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const overdue = isOverdue(c);
                return (
                  <tr key={c.id} className={overdue ? 'case-queue__row--overdue' : ''}>
                    <th scope="row" data-label="Номер">
                      <Link to={`/staff/cases/${c.id}`} className="nowrap">
                        {c.number}
                      </Link>
                      <span className="table__sub">
                        {nameOf(CHANNEL_NAMES, c.channel)} · {nameOf(REGIME_NAMES, c.regime)}
                      </span>
                    </th>
                    <td data-label="Категория">
                      {c.categoryName ?? <span className="muted">без категории</span>}
                      <span className="table__sub case-queue__text">{c.text}</span>
                    </td>
                    <td data-label="Статус">
                      <StatusBadge status={c.status} />
                    </td>
                    <td data-label="Исполнитель">
                      {c.executorName ?? personName(c.executorUserId) ?? <span className="muted">не назначен</span>}
                      {c.departmentId !== null && <span className="table__sub">{departmentName(c.departmentId)}</span>}
                    </td>
                    <td data-label="Срок">
                      <DueText due={c.due} zone={zone} />
                      {overdue && (
                        <span className="case-due__badge">
                          <OverdueBadge />
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {queue.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => queue.fetchNextPage()}
            disabled={queue.isFetchingNextPage}
          >
            {queue.isFetchingNextPage ? 'Загружаем…' : 'Показать ещё'}
          </button>
        </div>
      )}
    </>
  );
}
