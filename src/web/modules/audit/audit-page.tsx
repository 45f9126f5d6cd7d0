import { type FormEvent, useState } from 'react';
import { hasRole, useMe } from '../../app/session.tsx';
import {
  EmptyState,
  ErrorSummary,
  FilterActions,
  formatDate,
  formatTime,
  Loading,
  QueryError,
  SelectField,
  TextField,
  useFormErrors,
  usePageTitle,
} from '../../app/ui.tsx';
import { useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import { ACTION_NAMES, type AuditFilter, type AuditRow, ENTITY_NAMES, useAuditLog } from './audit.api.ts';

const LABELS: Record<string, string> = {
  action: 'Действие',
  entityType: 'Объект',
  from: 'С даты',
  to: 'По дату',
  municipalityId: 'Муниципалитет',
};

/** A local calendar day → the instant it starts (the server compares instants). */
const dayStart = (day: string, plusDays = 0) => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

function Changes({ row }: { row: AuditRow }) {
  if (row.before === null && row.after === null) return <span className="muted">—</span>;
  return (
    <details className="details">
      <summary>
        Подробнее<span className="visually-hidden"> о записи № {row.id}</span>
      </summary>
      {row.before !== null && (
        <>
          <p className="details__label">Было</p>
          <pre className="code">{JSON.stringify(row.before, null, 2)}</pre>
        </>
      )}
      {row.after !== null && (
        <>
          <p className="details__label">Стало</p>
          <pre className="code">{JSON.stringify(row.after, null, 2)}</pre>
        </>
      )}
      {row.requestId && <p className="muted small">Запрос: {row.requestId}</p>}
    </details>
  );
}

export function AuditPage() {
  usePageTitle('Журнал аудита');
  const { me } = useMe();
  const regional = hasRole(me, ['regional_admin']);
  const municipalities = useAdminMunicipalities();
  const [draft, setDraft] = useState({ action: '', entityType: '', from: '', to: '', municipalityId: '' });
  const [filter, setFilter] = useState<AuditFilter>({});
  const form = useFormErrors('audit', Object.keys(LABELS));
  const log = useAuditLog(filter);
  const rows = log.data?.pages.flatMap((p) => p.items);
  const municipalityName = (id: number | null) =>
    id === null ? 'регион' : (municipalities.data?.find((m) => m.id === id)?.shortName ?? `№ ${id}`);
  const set = (field: keyof typeof draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      form.show({ to: 'Дата окончания раньше даты начала.' }, 'Проверьте даты.');
      return;
    }
    form.clear();
    setFilter({
      ...(draft.action.trim() ? { action: draft.action.trim() } : {}),
      ...(draft.entityType ? { entityType: draft.entityType } : {}),
      ...(draft.from ? { from: dayStart(draft.from) } : {}),
      ...(draft.to ? { to: dayStart(draft.to, 1) } : {}),
      ...(draft.municipalityId ? { municipalityId: Number(draft.municipalityId) } : {}),
    });
  };

  const reset = () => {
    setDraft({ action: '', entityType: '', from: '', to: '', municipalityId: '' });
    form.clear();
    setFilter({});
  };

  return (
    <>
      <h1>Журнал аудита</h1>
      <p className="lead">
        Входы в систему, изменения данных и просмотры персональных данных
        {regional ? ' во всём регионе' : ' в вашем муниципалитете'}. Записи нельзя изменить или удалить.
      </p>
      <section className="card filters" aria-labelledby="audit-filters-title">
        <h2 id="audit-filters-title" className="card__title">
          Отбор записей
        </h2>
        <p className="muted small">Заполните только нужные условия; пустые не учитываются.</p>
        <ErrorSummary form={form} labels={LABELS} />
        <form onSubmit={apply} noValidate className="form form--filters">
          <TextField
            id="audit-action"
            label={LABELS.action!}
            value={draft.action}
            onValue={set('action')}
            error={form.errors.action}
            list="audit-actions"
            hint="Код действия или его начало с точкой, например auth."
            autoCapitalize="none"
            spellCheck={false}
          />
          <datalist id="audit-actions">
            {Object.entries(ACTION_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
            <option value="auth.">Все действия входа и выхода</option>
            <option value="user.">Все действия с учётными записями</option>
          </datalist>
          <SelectField
            id="audit-entityType"
            label={LABELS.entityType!}
            value={draft.entityType}
            onValue={set('entityType')}
            error={form.errors.entityType}
          >
            <option value="">Любой</option>
            {Object.entries(ENTITY_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </SelectField>
          <TextField
            id="audit-from"
            label={LABELS.from!}
            type="date"
            value={draft.from}
            onValue={set('from')}
            error={form.errors.from}
          />
          <TextField id="audit-to" label={LABELS.to!} type="date" value={draft.to} onValue={set('to')} error={form.errors.to} />
          {regional && municipalities.data && (
            <SelectField
              id="audit-municipalityId"
              label={LABELS.municipalityId!}
              value={draft.municipalityId}
              onValue={set('municipalityId')}
              error={form.errors.municipalityId}
            >
              <option value="">Все</option>
              {municipalities.data.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </SelectField>
          )}
          <FilterActions onReset={reset} />
        </form>
      </section>

      {log.isPending && <Loading />}
      {log.isError && <QueryError error={log.error} onRetry={() => log.refetch()} />}
      {rows && rows.length === 0 && (
        <EmptyState icon="shield" title="Записей не найдено">
          <p>Измените условия отбора.</p>
        </EmptyState>
      )}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table className="table table--audit">
            <caption className="visually-hidden">Записи журнала аудита</caption>
            <thead>
              <tr>
                <th scope="col">Время</th>
                <th scope="col">Кто</th>
                <th scope="col">Действие</th>
                <th scope="col">Объект</th>
                {regional && <th scope="col">Муниципалитет</th>}
                <th scope="col">Подробности</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td data-label="Время" className="nowrap">
                    <time dateTime={r.at}>
                      {formatDate(r.at)}
                      <span className="table__sub">{formatTime(r.at)}</span>
                    </time>
                  </td>
                  <td data-label="Кто">
                    {r.actorName ?? <span className="muted">система</span>}
                    {r.ip && <span className="table__sub">IP {r.ip}</span>}
                  </td>
                  <th scope="row" data-label="Действие">
                    {ACTION_NAMES[r.action] ?? r.action}
                    <span className="table__sub code-inline">{r.action}</span>
                  </th>
                  <td data-label="Объект">
                    {ENTITY_NAMES[r.entityType] ?? r.entityType}
                    {r.entityId && ` № ${r.entityId}`}
                  </td>
                  {regional && <td data-label="Муниципалитет">{municipalityName(r.municipalityId)}</td>}
                  <td data-label="Подробности">
                    <Changes row={r} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => log.fetchNextPage()}
            disabled={log.isFetchingNextPage}
          >
            {log.isFetchingNextPage ? 'Загружаем…' : 'Показать ещё'}
          </button>
        </div>
      )}
    </>
  );
}
