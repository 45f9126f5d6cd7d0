import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../app/errors-ru.ts';
import {
  Badge,
  EmptyState,
  FilterActions,
  formatDate,
  formatDateTime,
  formatNumber,
  formatTime,
  Loading,
  Notice,
  plural,
  QueryError,
  SelectField,
  TextField,
  usePageTitle,
} from '../../app/ui.tsx';
import {
  JOB_NAMES,
  JOB_STATUSES,
  type Job,
  type JobCounts,
  type JobFilter,
  type JobSchedule,
  type JobStatus,
  jobKeys,
  retryJob,
  STATUS_NAMES,
  useJobSchedules,
  useJobs,
} from './jobs.api.ts';

const STATUS_BADGE: Record<JobStatus, 'neutral' | 'info' | 'success' | 'danger'> = {
  pending: 'neutral',
  running: 'info',
  done: 'success',
  dead: 'danger',
};

const jobTitle = (name: string) => JOB_NAMES[name] ?? name;

function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso}>
      {formatDate(iso)}
      <span className="table__sub">{formatTime(iso)}</span>
    </time>
  );
}

/**
 * What the job is about. A letter's text carries one-time links (confirmation, password reset) that would let
 * whoever reads them act for the resident, so only its recipient and subject are shown.
 */
function Payload({ job }: { job: Job }) {
  const p = job.payload;
  if (job.name === 'mail.send' && p && typeof p === 'object') {
    const mail = p as { to?: unknown; subject?: unknown };
    return (
      <>
        {typeof mail.to === 'string' && (
          <span className="job__line">
            <span className="muted">Кому: </span>
            <span className="break">{mail.to}</span>
          </span>
        )}
        {typeof mail.subject === 'string' && (
          <span className="job__line">
            <span className="muted">Тема: </span>
            {mail.subject}
          </span>
        )}
      </>
    );
  }
  if (p === null || (typeof p === 'object' && Object.keys(p).length === 0)) return <span className="muted">—</span>;
  return (
    <details className="details">
      <summary>
        Данные<span className="visually-hidden"> задачи № {job.id}</span>
      </summary>
      <pre className="code">{JSON.stringify(p, null, 2)}</pre>
    </details>
  );
}

function State({ job }: { job: Job }) {
  const waitingRetry = job.status === 'pending' && job.attempts > 0;
  return (
    <>
      <Badge kind={waitingRetry ? 'warning' : STATUS_BADGE[job.status]}>
        {waitingRetry ? 'ждёт повтора' : STATUS_NAMES[job.status]}
      </Badge>
      {job.status === 'pending' && new Date(job.runAt).getTime() > Date.now() && (
        <span className="table__sub">запуск {formatDateTime(job.runAt)}</span>
      )}
      {job.status === 'running' && job.lockedBy && <span className="table__sub">узел {job.lockedBy}</span>}
      <span className="table__sub">
        {job.attempts === 0 ? 'попыток не было' : `попыток: ${job.attempts} из ${job.maxAttempts}`}
      </span>
      {job.lastError && (
        <span className="table__sub job__error">
          <span className="visually-hidden">Последняя ошибка: </span>
          {job.lastError}
        </span>
      )}
    </>
  );
}

function JobTimes({ job }: { job: Job }) {
  return (
    <dl className="job__times">
      <div>
        <dt>создана</dt>
        <dd>
          <time dateTime={job.createdAt}>{formatDateTime(job.createdAt)}</time>
        </dd>
      </div>
      {job.finishedAt && (
        <div>
          <dt>{job.status === 'dead' ? 'последняя попытка' : 'завершена'}</dt>
          <dd>
            <time dateTime={job.finishedAt}>{formatDateTime(job.finishedAt)}</time>
          </dd>
        </div>
      )}
    </dl>
  );
}

function Counters({ counts }: { counts: JobCounts }) {
  const items: Array<{ status: JobStatus; label: string; note?: string }> = [
    {
      status: 'pending',
      label: 'в очереди',
      ...(counts.retrying ? { note: `из них ${formatNumber(counts.retrying)} ждут повтора` } : {}),
    },
    { status: 'running', label: 'выполняются' },
    { status: 'done', label: 'выполнены' },
    { status: 'dead', label: 'не выполнены', note: 'попытки исчерпаны' },
  ];
  return (
    <ul className="stats" aria-label="Задачи по состояниям">
      {items.map((i) => (
        <li key={i.status} className={`stat${i.status === 'dead' && counts.dead > 0 ? ' stat--alert' : ''}`}>
          <span className="stat__value">{formatNumber(counts[i.status])}</span>
          <span className="stat__label">{i.label}</span>
          {i.note && <span className="stat__note">{i.note}</span>}
        </li>
      ))}
    </ul>
  );
}

function every(seconds: number): string {
  if (seconds % 86_400 === 0) {
    const d = seconds / 86_400;
    return d === 1 ? 'раз в сутки' : `каждые ${d} ${plural(d, ['сутки', 'суток', 'суток'])}`;
  }
  if (seconds % 3_600 === 0) {
    const h = seconds / 3_600;
    return h === 1 ? 'каждый час' : `каждые ${h} ${plural(h, ['час', 'часа', 'часов'])}`;
  }
  if (seconds % 60 === 0) {
    const m = seconds / 60;
    return m === 1 ? 'каждую минуту' : `каждые ${m} ${plural(m, ['минуту', 'минуты', 'минут'])}`;
  }
  return `каждые ${seconds} ${plural(seconds, ['секунду', 'секунды', 'секунд'])}`;
}

function timing(s: JobSchedule): string {
  if (s.everySeconds) return every(s.everySeconds);
  if (s.dailyAt) return `ежедневно в ${s.dailyAt}${s.timeZone ? ` (${s.timeZone})` : ''}`;
  return '—';
}

function Schedules() {
  const schedules = useJobSchedules();
  return (
    <section className="section" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Регулярные задачи</h2>
      {schedules.isPending && <Loading />}
      {schedules.isError && <QueryError error={schedules.error} onRetry={() => schedules.refetch()} />}
      {schedules.data?.length === 0 && (
        <EmptyState icon="clock" title="Регулярных задач нет">
          <p>Задачи по расписанию (например, ежедневные напоминания о сроках) появятся здесь, когда их включат.</p>
        </EmptyState>
      )}
      {schedules.data && schedules.data.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Регулярные задачи</caption>
            <thead>
              <tr>
                <th scope="col">Задача</th>
                <th scope="col">Расписание</th>
                <th scope="col">Следующий запуск</th>
                <th scope="col">Последний запуск</th>
              </tr>
            </thead>
            <tbody>
              {schedules.data.map((s) => (
                <tr key={s.name}>
                  <th scope="row" data-label="Задача">
                    {jobTitle(s.jobName)}
                    <span className="table__sub code-inline">{s.name}</span>
                  </th>
                  <td data-label="Расписание">{timing(s)}</td>
                  <td data-label="Следующий запуск" className="nowrap">
                    <Time iso={s.nextRunAt} />
                  </td>
                  <td data-label="Последний запуск" className="nowrap">
                    {s.lastRunAt ? <Time iso={s.lastRunAt} /> : <span className="muted">ещё не было</span>}
                    {s.lastJobId !== null && <span className="table__sub">задача № {s.lastJobId}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The background-job queue for the regional administrator: counts, the jobs themselves, retrying dead ones. */
export function JobsPage() {
  usePageTitle('Фоновые задачи');
  const client = useQueryClient();
  const [draft, setDraft] = useState<{ status: string; name: string }>({ status: '', name: '' });
  const [filter, setFilter] = useState<JobFilter>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [retryErrors, setRetryErrors] = useState<Record<number, string>>({});
  const jobs = useJobs(filter);
  const rows = jobs.data?.pages.flatMap((p) => p.items);
  const counts = jobs.data?.pages[0]?.counts;

  const retry = useMutation({
    mutationFn: (id: number) => retryJob(id),
    onMutate: (id) => {
      setNotice(null);
      setRetryErrors(({ [id]: _dropped, ...rest }) => rest);
    },
    onSuccess: async (job) => {
      await client.invalidateQueries({ queryKey: jobKeys.all });
      setNotice(`Задача № ${job.id} («${jobTitle(job.name)}») возвращена в очередь: попытки начнутся заново.`);
    },
    onError: (error, id) => setRetryErrors((e) => ({ ...e, [id]: errorMessage(error) })),
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({
      ...(draft.status ? { status: draft.status as JobStatus } : {}),
      ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
    });
  };
  const reset = () => {
    setDraft({ status: '', name: '' });
    setFilter({});
  };

  return (
    <>
      <div className="page-head">
        <h1>Фоновые задачи</h1>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => client.invalidateQueries({ queryKey: jobKeys.all })}
          disabled={jobs.isFetching}
        >
          {jobs.isFetching && !jobs.isPending ? 'Обновляем…' : 'Обновить'}
        </button>
      </div>
      <p className="lead">
        Работа, которую сервер выполняет в фоне: прежде всего отправка писем. Задача, не выполненная за все попытки, остаётся
        здесь с последней ошибкой — её можно отправить на повтор.
      </p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {counts && <Counters counts={counts} />}

      <section className="card filters" aria-labelledby="jobs-filters-title">
        <h2 id="jobs-filters-title" className="card__title">
          Отбор задач
        </h2>
        <p className="muted small">Заполните только нужные условия; пустые не учитываются.</p>
        <form onSubmit={apply} noValidate className="form form--filters">
          <SelectField
            id="jobs-status"
            label="Состояние"
            value={draft.status}
            onValue={(status) => setDraft((d) => ({ ...d, status }))}
          >
            <option value="">Любое</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_NAMES[s]}
              </option>
            ))}
          </SelectField>
          <TextField
            id="jobs-name"
            label="Код задачи"
            value={draft.name}
            onValue={(name) => setDraft((d) => ({ ...d, name }))}
            list="jobs-names"
            placeholder="mail.send"
            required={false}
            autoCapitalize="none"
            spellCheck={false}
          />
          <datalist id="jobs-names">
            {Object.entries(JOB_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </datalist>
          <FilterActions onReset={reset} />
        </form>
      </section>

      {jobs.isPending && <Loading />}
      {jobs.isError && <QueryError error={jobs.error} onRetry={() => jobs.refetch()} />}
      {rows && rows.length === 0 && (
        <EmptyState icon="inbox" title="Задач не найдено">
          <p>{filter.status || filter.name ? 'Измените условия отбора.' : 'Очередь пуста.'}</p>
        </EmptyState>
      )}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table className="table table--jobs">
            <caption className="visually-hidden">Фоновые задачи, новые сверху</caption>
            <thead>
              <tr>
                <th scope="col">Задача</th>
                <th scope="col">Состояние</th>
                <th scope="col">Время</th>
                <th scope="col">Содержание</th>
                <th scope="col">
                  <span className="visually-hidden">Действия</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((job) => (
                <tr key={job.id}>
                  <th scope="row" data-label="Задача">
                    {jobTitle(job.name)}
                    <span className="table__sub">
                      № {job.id} · <span className="code-inline">{job.name}</span>
                    </span>
                  </th>
                  <td data-label="Состояние" className="job__state">
                    <State job={job} />
                  </td>
                  <td data-label="Время" className="nowrap">
                    <JobTimes job={job} />
                  </td>
                  <td data-label="Содержание" className="job__payload">
                    <Payload job={job} />
                  </td>
                  <td className="table__actions">
                    {job.status === 'dead' && (
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        onClick={() => retry.mutate(job.id)}
                        disabled={retry.isPending && retry.variables === job.id}
                        aria-label={`Повторить задачу № ${job.id}`}
                      >
                        {retry.isPending && retry.variables === job.id ? 'Отправляем…' : 'Повторить'}
                      </button>
                    )}
                    {retryErrors[job.id] && (
                      <span className="field__error" role="alert">
                        {retryErrors[job.id]}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {jobs.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => jobs.fetchNextPage()}
            disabled={jobs.isFetchingNextPage}
          >
            {jobs.isFetchingNextPage ? 'Загружаем…' : 'Показать ещё'}
          </button>
        </div>
      )}

      <Schedules />
    </>
  );
}
