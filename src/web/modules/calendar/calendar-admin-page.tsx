import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../app/api.ts';
import { errorMessage, translateReason } from '../../app/errors-ru.ts';
import {
  Badge,
  EmptyState,
  formatDateTime,
  formatNumber,
  Loading,
  Notice,
  plural,
  QueryError,
  SelectField,
  TextField,
  usePageTitle,
} from '../../app/ui.tsx';
import {
  type AdminCalendarYear,
  type PublishResult,
  publishCalendarYear,
  useAdminCalendar,
  useAdminCalendarYear,
} from './calendar.api.ts';

function Origin({ year }: { year: AdminCalendarYear }) {
  if (year.origin === 'shipped') return <Badge kind="neutral">поставка</Badge>;
  return (
    <>
      <Badge kind="info">опубликована поправка</Badge>
      {year.publishedAt && (
        <span className="table__sub">
          {formatDateTime(year.publishedAt)}
          {year.publishedBy ? `, ${year.publishedBy}` : ''}
        </span>
      )}
    </>
  );
}

interface FieldProblem {
  field: string;
  reason: string;
}

function resultText(r: PublishResult): string {
  const years = r.changedYears.length
    ? `Изменились сроки в годах: ${r.changedYears.join(', ')}.`
    : 'Дни календаря не изменились.';
  const job =
    r.recomputeJobId !== null
      ? ` Пересчёт сроков открытых дел поставлен в очередь (задача № ${r.recomputeJobId}).`
      : ' Пересчёт сроков не нужен.';
  return `Поправка к ${r.year} году${r.region ? ` (регион ${r.region})` : ''} опубликована. ${years}${job}`;
}

function PublishForm({ year, initial, onDone }: { year: number; initial: string; onDone: (result: PublishResult) => void }) {
  const client = useQueryClient();
  const [text, setText] = useState(initial);
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [dataError, setDataError] = useState<string | undefined>();
  const [noteError, setNoteError] = useState<string | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  const problemsId = useId();
  const [attempt, setAttempt] = useState(0);
  const alertRef = useRef<HTMLDivElement>(null);
  // After a refused submit the message takes focus, so keyboard and screen-reader users hear why.
  useEffect(() => {
    if (attempt > 0) alertRef.current?.focus();
  }, [attempt]);

  const mutation = useMutation({
    mutationFn: (data: unknown) => publishCalendarYear(data, note.trim()),
    onError: (error) => {
      const details = error instanceof ApiError ? error.details.filter((d) => d.field !== 'body') : [];
      const forNote = details.filter((d) => d.field === 'note');
      const forData = details.filter((d) => d.field !== 'note');
      setNoteError(forNote[0] ? 'Проверьте примечание.' : undefined);
      setProblems(forData);
      setDataError(forData.length ? 'Сервер не принял документ: см. список ошибок ниже.' : undefined);
      setMessage(
        forData.length
          ? `Сервер не принял документ: ${forData.length} ${plural(forData.length, ['ошибка', 'ошибки', 'ошибок'])} — см. список у поля с JSON.`
          : errorMessage(error),
      );
      setAttempt((n) => n + 1);
    },
    onSuccess: async (result) => {
      setProblems([]);
      setDataError(undefined);
      setNoteError(undefined);
      setMessage(null);
      setNote('');
      await client.invalidateQueries({ queryKey: ['calendar'] });
      await client.invalidateQueries({ queryKey: ['deadlines'] });
      onDone(result);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let data: unknown;
    let bad: string | undefined;
    try {
      data = JSON.parse(text);
    } catch (error) {
      bad = `Текст не читается как JSON: ${(error as Error).message}`;
    }
    const missingNote = !note.trim()
      ? 'Укажите основание поправки.'
      : note.trim().length < 5
        ? 'Основание должно быть не короче 5 символов.'
        : undefined;
    setDataError(bad);
    setNoteError(missingNote);
    setProblems([]);
    if (bad || missingNote) {
      setMessage('Проверьте поля формы.');
      setAttempt((n) => n + 1);
      return;
    }
    setMessage(null);
    mutation.mutate(data);
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      {message && (
        <div className="alert alert--error" role="alert" tabIndex={-1} ref={alertRef}>
          <p className="alert__title">Поправка не опубликована</p>
          <p>{message}</p>
        </div>
      )}
      <TextField
        id="cal-note"
        label="Основание поправки"
        value={note}
        onValue={setNote}
        error={noteError}
        hint="Например: ПП РФ от 15.09.2026 № 1400 «О переносе выходных дней в 2027 году». Попадает в журнал аудита."
        maxLength={500}
      />
      <div className={`field${dataError ? ' field--error' : ''}`}>
        <label htmlFor="cal-json" className="field__label">
          Календарь {year} года (JSON)
        </label>
        <p id="cal-json-hint" className="field__hint">
          Действующая редакция года. Исправьте даты (holidays, transfers, workingWeekends, shortened, nonWorking) и итоги
          (totals); сервер проверит документ целиком. Формат — как у файлов ru-ГГГГ.json.
        </p>
        {dataError && (
          <p id="cal-json-error" className="field__error">
            <span className="visually-hidden">Ошибка: </span>
            {dataError}
          </p>
        )}
        {problems.length > 0 && (
          <ul className="field-problems" id={problemsId} aria-label="Ошибки в документе">
            {problems.map((p) => (
              <li key={`${p.field}-${p.reason}`}>
                <code className="code-inline">{p.field}</code>: {translateReason(p.reason) ?? p.reason}
              </li>
            ))}
          </ul>
        )}
        <textarea
          id="cal-json"
          className="input textarea textarea--code"
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          rows={24}
          aria-invalid={dataError ? true : undefined}
          aria-describedby={['cal-json-hint', dataError ? 'cal-json-error' : '', problems.length ? problemsId : '']
            .filter(Boolean)
            .join(' ')}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button" disabled={mutation.isPending}>
          {mutation.isPending ? 'Публикуем…' : 'Опубликовать поправку'}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setText(initial)}>
          Вернуть действующую редакцию
        </button>
      </div>
    </form>
  );
}

/** A year of the federal calendar or of a region's overlay (its own holidays on top). */
const yearKey = (y: { year: number; region: string | null }) => `${y.year}${y.region ? `|${y.region}` : ''}`;
const yearTitle = (y: { year: number; region: string | null }) =>
  y.region ? `${y.year} — праздники региона ${y.region}` : `${y.year}`;

function PublishSection({
  years,
  chosen,
  setChosen,
  onDone,
}: {
  years: AdminCalendarYear[];
  chosen: string;
  setChosen: (key: string) => void;
  onDone: (r: PublishResult) => void;
}) {
  const entry = years.find((y) => yearKey(y) === chosen) ?? null;
  const document = useAdminCalendarYear(entry?.year ?? null, entry?.region ?? null);
  return (
    <section className="card form-panel" aria-labelledby="cal-publish-title" id="publish">
      <h2 id="cal-publish-title">Опубликовать поправку</h2>
      <p>
        Поправка заменяет календарь года целиком: например, когда вышло постановление о переносе выходных или предварительный год
        утверждён. После публикации сроки открытых дел в изменившихся годах пересчитываются.
      </p>
      <SelectField
        id="cal-year"
        label="Год"
        value={chosen}
        onValue={setChosen}
        fieldClassName="field--inline"
        hint="Загрузится действующая редакция выбранного года."
      >
        <option value="">Выберите год</option>
        {years.map((y) => (
          <option key={yearKey(y)} value={yearKey(y)}>
            {yearTitle(y)}
            {y.provisional ? ' (предварительный)' : ''}
          </option>
        ))}
      </SelectField>
      {entry && document.isPending && <Loading text="Загружаем календарь года…" />}
      {document.isError && <QueryError error={document.error} onRetry={() => document.refetch()} />}
      {entry && document.data !== undefined && (
        <PublishForm
          key={`${chosen}-${document.dataUpdatedAt}`}
          year={entry.year}
          initial={JSON.stringify(document.data, null, 2)}
          onDone={(r) => {
            setChosen('');
            onDone(r);
          }}
        />
      )}
    </section>
  );
}

export function CalendarAdminPage() {
  usePageTitle('Календарь: поправки');
  const calendar = useAdminCalendar();
  const [result, setResult] = useState<PublishResult | null>(null);
  const [chosen, setChosen] = useState('');
  const correct = (key: string) => {
    setResult(null);
    setChosen(key);
    const select = document.getElementById('cal-year');
    select?.scrollIntoView({ block: 'center' });
    select?.focus({ preventScroll: true });
  };

  return (
    <>
      <h1>Календарь: поправки</h1>
      <p className="lead">
        Производственный календарь региона по годам: поставленный с программой или исправленный опубликованной поправкой.
      </p>
      <Notice text={result ? resultText(result) : null} onClose={() => setResult(null)} />
      {result?.recomputeJobId != null && (
        <p>
          <Link to="/staff/admin/jobs">Открыть фоновые задачи</Link>
        </p>
      )}
      {calendar.isPending && <Loading />}
      {calendar.isError && <QueryError error={calendar.error} onRetry={() => calendar.refetch()} />}
      {calendar.data && (
        <>
          <h2>Годы</h2>
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Годы производственного календаря</caption>
              <thead>
                <tr>
                  <th scope="col">Год</th>
                  <th scope="col">Статус</th>
                  <th scope="col">Редакция</th>
                  <th scope="col" className="num">
                    Рабочих дней
                  </th>
                  <th scope="col" className="num">
                    Рабочих часов
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Действия</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {calendar.data.years.map((y) => (
                  <tr key={yearKey(y)}>
                    <th scope="row" data-label="Год">
                      {y.region ? (
                        <>
                          {y.year}
                          <span className="table__sub">праздники региона {y.region}</span>
                        </>
                      ) : (
                        <Link to={`/staff/calendar?year=${y.year}`}>{y.year}</Link>
                      )}
                    </th>
                    <td data-label="Статус">
                      {y.provisional ? <Badge kind="warning">предварительный</Badge> : <Badge kind="success">утверждён</Badge>}
                    </td>
                    <td data-label="Редакция">
                      <Origin year={y} />
                    </td>
                    <td data-label="Рабочих дней" className="num">
                      {formatNumber(y.totals.workingDays)}
                    </td>
                    <td data-label="Рабочих часов" className="num">
                      {formatNumber(y.totals.workingHours)}
                    </td>
                    <td className="table__actions">
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        onClick={() => correct(yearKey(y))}
                        aria-label={`Поправка: ${yearTitle(y)}`}
                      >
                        Поправка
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <PublishSection years={calendar.data.years} chosen={chosen} setChosen={setChosen} onDone={setResult} />
          <h2>Опубликованные поправки</h2>
          {calendar.data.publications.length === 0 ? (
            <EmptyState icon="list" title="Поправок пока не было">
              <p>Действуют календари, поставленные с программой.</p>
            </EmptyState>
          ) : (
            <div className="table-scroll">
              <table className="table">
                <caption className="visually-hidden">Опубликованные поправки</caption>
                <thead>
                  <tr>
                    <th scope="col">Год</th>
                    <th scope="col">Основание</th>
                    <th scope="col">Когда</th>
                    <th scope="col">Кто</th>
                  </tr>
                </thead>
                <tbody>
                  {calendar.data.publications.map((p) => (
                    <tr key={p.id}>
                      <th scope="row" data-label="Год">
                        {yearTitle(p)}
                      </th>
                      <td data-label="Основание" className="break">
                        {p.note}
                      </td>
                      <td data-label="Когда" className="nowrap">
                        {formatDateTime(p.publishedAt)}
                      </td>
                      <td data-label="Кто">{p.publishedBy ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
