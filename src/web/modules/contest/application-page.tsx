import { type ChangeEvent, type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../app/api.ts';
import { errorMessage } from '../../app/errors-ru.ts';
import { useMe } from '../../app/session.tsx';
import {
  Alert,
  ErrorSummary,
  formatNumber,
  Loading,
  Notice,
  QueryError,
  SelectField,
  TextField,
  useFormErrors,
  usePageTitle,
} from '../../app/ui.tsx';
import { uploadAttachment } from '../cases-resident/cases.api.ts';
import { RadioGroup, TextAreaField } from '../cases-resident/fields.tsx';
import { fileSize } from '../cases-resident/names.ts';
import {
  type Application,
  admitApplication,
  applicationFiles,
  type ContestView,
  checkApplication,
  type Figure,
  federalPackageUrl,
  hasFederalPackage,
  pullFigures,
  REQUIRED_SECTIONS,
  SECTIONS,
  type SectionKey,
  saveApplication,
  submitApplication,
  useApplication,
  useContest,
  useRefreshContest,
} from './contest.api.ts';
import { ApplicationStatusBadge, BackToContest } from './contest-bits.tsx';
import { contestError, contestFieldErrors, contestMessage, instantRu } from './contest-ru.ts';

const P = 'app';
/** What each section asks for (the seed's characterisations of the practices). */
const SECTION_HINTS: Record<SectionKey, string> = {
  practice: 'Название практики и в двух-трёх предложениях — в чём она состоит.',
  prerequisites: 'Почему практика понадобилась: какую проблему жителей и власти она решает.',
  description: 'Как практика устроена: кто, что и как делает, этапы, сроки.',
  interactionForms: 'Сходы, приёмы, опросы, соцсети, ТОС, инициативное бюджетирование и т. п.',
  strengths: 'Что получилось лучше всего.',
  weaknesses: 'Что мешает и что ещё предстоит сделать.',
  resourcesMaterial: 'Деньги, помещения, оборудование, транспорт.',
  resourcesImmaterial: 'Люди, знания, связи, доверие жителей.',
  results: 'Что изменилось — с цифрами (показатели ниже можно подтянуть из аналитики «Отклика»).',
};
const FIELDS = ['applicantName', ...SECTIONS, 'figures', 'attachmentIds'];
const fieldOf = (path: string) => (path.startsWith('sections.') ? (path.split('.')[1] ?? path) : (path.split('.')[0] ?? path));

interface FigureRow {
  row: number;
  key: string | null;
  label: string;
  value: string;
  unit: string;
  source: string;
  definition: string;
  pulledValue: number | null;
}

/** A share (0–1) is shown and typed in per cent; everything else as it is. */
const shown = (unit: string, value: number) => (unit === 'share' ? Math.round(value * 1000) / 10 : Math.round(value * 100) / 100);
const stored = (unit: string, value: number) => (unit === 'share' ? Math.round(value * 10) / 1000 : value);

const rowsOf = (figures: Figure[]): FigureRow[] =>
  figures.map((f, i) => ({
    row: i,
    key: f.key,
    label: f.label,
    value: f.value === null ? '' : String(shown(f.unit, f.value)).replace('.', ','),
    unit: f.unit,
    source: f.source,
    definition: f.definition,
    pulledValue: f.pulledValue,
  }));

const UNIT_NAMES: Record<string, string> = { count: 'шт.', share: '%', hours: 'ч', working_hours: 'рабочих ч' };
const unitText = (u: string) => UNIT_NAMES[u] ?? u;
const numberOf = (s: string): number | null => {
  const t = s.replace(/\s/g, '').replace(',', '.');
  if (!t) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
};

/** Why the server refused a file, in Russian. */
function uploadError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'PAYLOAD_TOO_LARGE') return 'Файл не принят: он больше 10 МБ.';
    if (error.code === 'EMPTY_BODY') return 'Файл не принят: он пустой.';
    if (/programs and scripts are not accepted/.test(error.message))
      return 'Файл не принят: программы и сценарии прикладывать нельзя.';
    if (/but its content is/.test(error.message)) return 'Файл не принят: его содержимое не совпадает с типом файла.';
    if (error.code === 'UNSUPPORTED_MEDIA_TYPE')
      return 'Файл не принят: такой формат не подходит. Можно приложить PDF, DOCX, XLSX, ODT или изображения.';
  }
  return `Файл не принят: ${errorMessage(error)}`;
}

/** The value to store: a share typed in per cent goes back to 0–1. */
function figureValue(f: FigureRow): number | null {
  const n = numberOf(f.value);
  return n === null ? null : stored(f.unit, n);
}

/** The figures pulled by default: the ones a jury reads first (all of them on request). */
const MAIN_FIGURES = ['received', 'answered', 'onTimeShare', 'resolutionWorkHoursMean', 'satisfaction', 'reopenRate'];

const yearStart = () => `${new Date().getFullYear()}-01-01`;
const today = () => new Date().toLocaleDateString('en-CA');

export function ApplicationPage() {
  const id = Number(useParams().id);
  const app = useApplication(id);
  const contest = useContest(app.data?.contestId ?? 0);
  const { me } = useMe();
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(app.data ? `Заявка: ${app.data.applicantName}` : 'Заявка на конкурс');

  if (app.isPending || (app.data && contest.isPending)) return <Loading />;
  if (app.isError) return <QueryError error={app.error} onRetry={() => app.refetch()} />;
  if (contest.isError) return <QueryError error={contest.error} onRetry={() => contest.refetch()} />;
  const a = app.data;
  const view = contest.data as ContestView;
  const c = view.contest;
  const own = !!me?.roles.some((g) => g.role === 'municipal_admin' && g.municipalityId === a.municipalityId);
  const regional = !!me?.roles.some((g) => g.role === 'regional_admin' && g.regionId === c.regionId);
  const editable = own && (a.status === 'draft' || a.status === 'returned') && c.status === 'setup';
  const category = view.categories.find((k) => k.id === a.categoryId);

  return (
    <>
      <BackToContest id={c.id} title={`«${c.title}» ${c.year}`} />
      <div className="page-head">
        <h1>Заявка: {a.applicantName}</h1>
        <ApplicationStatusBadge status={a.status} name={a.statusName} />
      </div>
      <p className="contest-card__meta">
        {category?.label}
        {a.submittedAt && ` · подана ${instantRu(a.submittedAt, c.timeZone)}`}
        {a.place !== null && ` · ${a.place} место`}
        {a.recommended && ' · рекомендована на федеральный этап'}
      </p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {a.status === 'returned' && a.remarks && (
        <Alert kind="warning" title="Заявка возвращена на доработку">
          <p className="contest-remarks">{a.remarks}</p>
          {own && <p>Исправьте заявку и подайте её снова до {instantRu(c.resubmitTo ?? c.applicationsTo, c.timeZone)}.</p>}
        </Alert>
      )}
      {a.status !== 'returned' && a.remarks && (
        <p className="contest-remarks">
          <strong>Замечания при проверке: </strong>
          {a.remarks}
        </p>
      )}
      {editable ? (
        <ApplicationForm key={a.updatedAt} application={a} onNotice={setNotice} />
      ) : (
        <ApplicationView application={a} />
      )}
      {regional && c.status === 'setup' && <CheckForm application={a} onNotice={setNotice} />}
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
    </>
  );
}

function FilesList({ application }: { application: Application }) {
  const files = applicationFiles(application);
  if (files.length === 0) return <p className="muted">Файлов нет.</p>;
  return (
    <ul className="contest-files">
      {files.map((f) => (
        <li key={f.id}>
          <a href={f.url}>{f.fileName}</a>
          {f.size > 0 && <span className="muted"> · {fileSize(f.size)}</span>}
        </li>
      ))}
    </ul>
  );
}

function FiguresTable({ figures }: { figures: Figure[] }) {
  if (figures.length === 0) return <p className="muted">Показатели не указаны.</p>;
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">Показатели результатов</caption>
        <thead>
          <tr>
            <th scope="col">Показатель</th>
            <th scope="col">Значение</th>
            <th scope="col">Источник</th>
          </tr>
        </thead>
        <tbody>
          {figures.map((f) => (
            <tr key={`${f.key ?? ''}-${f.label}`}>
              <th scope="row" data-label="Показатель">
                {f.label}
                {f.definition && <p className="table__sub">{f.definition}</p>}
              </th>
              <td data-label="Значение">
                {f.value === null ? 'нет данных' : `${formatNumber(shown(f.unit, f.value))} ${unitText(f.unit)}`}
                {f.edited && f.pulledValue !== null && (
                  <p className="table__sub">
                    изменено; по данным аналитики — {formatNumber(shown(f.unit, f.pulledValue))} {unitText(f.unit)}
                  </p>
                )}
              </td>
              <td data-label="Источник">{f.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The application as it was submitted: sections, figures, files. */
function ApplicationView({ application: a }: { application: Application }) {
  return (
    <article className="contest-application" aria-label="Содержание заявки">
      {SECTIONS.map((s) =>
        a.sections[s]?.trim() ? (
          <section key={s} className="contest-app-section">
            <h2>{a.sectionNames[s]}</h2>
            <p className="contest-text">{a.sections[s]}</p>
          </section>
        ) : null,
      )}
      <section className="contest-app-section">
        <h2>Показатели</h2>
        <FiguresTable figures={a.figures} />
      </section>
      <section className="contest-app-section">
        <h2>Брошюра-презентация и другие файлы</h2>
        <FilesList application={a} />
      </section>
    </article>
  );
}

function ApplicationForm({ application: a, onNotice }: { application: Application; onNotice: (t: string) => void }) {
  const refresh = useRefreshContest();
  const form = useFormErrors(P, FIELDS, fieldOf);
  const [applicantName, setApplicantName] = useState(a.applicantName);
  const [sections, setSections] = useState<Partial<Record<SectionKey, string>>>(a.sections);
  const [figures, setFigures] = useState<FigureRow[]>(rowsOf(a.figures));
  const [from, setFrom] = useState(yearStart);
  const [to, setTo] = useState(today);
  const [which, setWhich] = useState<'main' | 'all'>('main');
  const [pullError, setPullError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | 'pull' | null>(null);
  const [upload, setUpload] = useState<{ name: string; progress: number; error?: string } | null>(null);
  const labels: Record<string, string> = {
    applicantName: 'Заявитель',
    ...a.sectionNames,
    figures: 'Показатели',
    attachmentIds: 'Файлы',
  };

  function input() {
    const bad = figures.filter((f) => Number.isNaN(numberOf(f.value)));
    const noLabel = figures.filter((f) => !f.label.trim());
    if (bad.length || noLabel.length) {
      form.show(
        { figures: bad.length ? 'Значение показателя — число, например 1250 или 87,5.' : 'Назовите каждый показатель.' },
        'Исправьте ошибки в форме',
      );
      return null;
    }
    return {
      applicantName: applicantName.trim(),
      sections: Object.fromEntries(SECTIONS.map((s) => [s, (sections[s] ?? '').trim()])),
      figures: figures.map((f) => ({
        key: f.key,
        label: f.label.trim(),
        value: figureValue(f),
        ...(f.unit ? { unit: f.unit } : {}),
        // Sent back as shown: a pulled figure without a value keeps its source and definition.
        ...(f.source ? { source: f.source } : {}),
        ...(f.definition ? { definition: f.definition } : {}),
      })),
    };
  }

  async function run(kind: 'save' | 'submit', e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    form.clear();
    const body = input();
    if (!body) return;
    setBusy(kind);
    try {
      await saveApplication(a.id, body);
      if (kind === 'submit') {
        await submitApplication(a.id);
        onNotice(a.status === 'returned' ? 'Заявка подана повторно и ушла на проверку.' : 'Заявка подана и ушла на проверку.');
      } else {
        onNotice('Черновик сохранён.');
      }
      await refresh();
    } catch (error) {
      const fields = contestFieldErrors(error, fieldOf);
      form.show(fields, contestMessage(error));
    } finally {
      setBusy(null);
    }
  }

  async function pull() {
    setPullError(null);
    const body = input();
    if (!body) return;
    setBusy('pull');
    try {
      await saveApplication(a.id, body);
      await pullFigures(a.id, { from, to, ...(which === 'main' ? { keys: MAIN_FIGURES } : {}) });
      await refresh();
      onNotice('Показатели подтянуты из аналитики «Отклика». Проверьте их и при необходимости исправьте.');
    } catch (error) {
      setPullError(contestError(error));
    } finally {
      setBusy(null);
    }
  }

  async function addFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > 10 * 1024 * 1024) {
      setUpload({ name: file.name, progress: 0, error: 'Файл не принят: он больше 10 МБ.' });
      return;
    }
    setUpload({ name: file.name, progress: 0 });
    try {
      const done = await uploadAttachment(file, (progress) => setUpload({ name: file.name, progress }));
      // The typed text goes with the file: the form is read again from the server afterwards.
      await saveApplication(a.id, { ...(input() ?? {}), attachmentIds: [...a.attachmentIds, done.id] });
      setUpload(null);
      await refresh();
      onNotice(`Файл «${file.name}» приложен к заявке.`);
    } catch (error) {
      setUpload({
        name: file.name,
        progress: 0,
        error: error instanceof ApiError && error.code === 'VALIDATION_FAILED' ? contestError(error) : uploadError(error),
      });
    }
  }

  async function removeFile(fileId: number) {
    try {
      await saveApplication(a.id, { ...(input() ?? {}), attachmentIds: a.attachmentIds.filter((x) => x !== fileId) });
      await refresh();
    } catch (error) {
      setUpload({ name: '', progress: 0, error: contestError(error) });
    }
  }

  const setFigure = (row: number, patch: Partial<FigureRow>) =>
    setFigures((list) => list.map((f) => (f.row === row ? { ...f, ...patch } : f)));

  return (
    <form className="form contest-application-form" onSubmit={(e) => run('submit', e)} noValidate aria-label="Заявка на конкурс">
      <ErrorSummary form={form} labels={labels} />
      <TextField
        id={`${P}-applicantName`}
        label="Заявитель"
        value={applicantName}
        onValue={setApplicantName}
        error={form.errors.applicantName}
        hint="Как муниципальное образование будет названо в протоколе."
      />
      {SECTIONS.map((s) => (
        <TextAreaField
          key={s}
          id={`${P}-${s}`}
          label={a.sectionNames[s]}
          optional={!REQUIRED_SECTIONS.includes(s)}
          rows={s === 'description' || s === 'results' ? 6 : 3}
          value={sections[s] ?? ''}
          onValue={(v) => setSections((x) => ({ ...x, [s]: v }))}
          error={form.errors[s]}
          hint={SECTION_HINTS[s]}
        />
      ))}

      <fieldset className="fieldset contest-figures" id={`${P}-figures`} tabIndex={-1}>
        <legend className="fieldset__legend">Показатели результатов</legend>
        <p className="field__hint">
          Показатели работы с обращениями можно подтянуть из аналитики «Отклика» за период — у каждого будет указан источник;
          значения можно исправить. Другие показатели (например, число ТОС) впишите сами.
        </p>
        <div className="contest-pull">
          <TextField id={`${P}-pull-from`} label="Период: с" type="date" value={from} onValue={setFrom} />
          <TextField id={`${P}-pull-to`} label="по" type="date" value={to} onValue={setTo} />
          <SelectField id={`${P}-pull-which`} label="Какие" value={which} onValue={(v) => setWhich(v as 'main' | 'all')}>
            <option value="main">основные (6)</option>
            <option value="all">все показатели аналитики</option>
          </SelectField>
          <button type="button" className="button button--secondary" onClick={pull} disabled={busy !== null}>
            Подтянуть показатели
          </button>
        </div>
        {pullError && (
          <p className="field__error" role="alert">
            {pullError}
          </p>
        )}
        {form.errors.figures && <p className="field__error">{form.errors.figures}</p>}
        <ul className="contest-rows">
          {figures.map((f, i) => (
            <li key={f.row} className="contest-figure">
              <div className="contest-figure__fields">
                <TextField
                  id={`${P}-figure-${f.row}-label`}
                  label={`Показатель ${i + 1}`}
                  value={f.label}
                  onValue={(v) => setFigure(f.row, { label: v })}
                />
                <TextField
                  id={`${P}-figure-${f.row}-value`}
                  label={`Значение${f.unit ? ` (${unitText(f.unit)})` : ''}`}
                  inputMode="decimal"
                  optional
                  value={f.value}
                  onValue={(v) => setFigure(f.row, { value: v })}
                />
                <button
                  type="button"
                  className="button button--secondary button--small contest-figure__remove"
                  onClick={() => setFigures((list) => list.filter((x) => x.row !== f.row))}
                  aria-label={`Убрать показатель ${i + 1}`}
                >
                  Убрать
                </button>
              </div>
              <p className="small contest-figure__source">
                Источник: {f.source || 'указано муниципальным образованием'}
                {f.pulledValue !== null && figureValue(f) !== f.pulledValue && (
                  <>
                    {' '}
                    · изменено, по данным аналитики — {formatNumber(shown(f.unit, f.pulledValue))} {unitText(f.unit)}
                  </>
                )}
              </p>
              {f.definition && (
                <details className="small muted contest-figure__definition">
                  <summary>Как считается</summary>
                  {f.definition}
                </details>
              )}
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() =>
            setFigures((list) => [
              ...list,
              {
                row: Math.max(-1, ...list.map((x) => x.row)) + 1,
                key: null,
                label: '',
                value: '',
                unit: '',
                source: '',
                definition: '',
                pulledValue: null,
              },
            ])
          }
        >
          Добавить показатель
        </button>
      </fieldset>

      <fieldset className="fieldset" id={`${P}-attachmentIds`} tabIndex={-1}>
        <legend className="fieldset__legend">Брошюра-презентация и другие файлы</legend>
        <FilesListEditable application={a} onRemove={removeFile} />
        <input
          id={`${P}-file`}
          className="upload__input"
          type="file"
          accept="application/pdf,.pdf,.docx,.odt,.xlsx,image/*"
          onChange={addFile}
          aria-describedby={`${P}-file-hint`}
        />
        <label htmlFor={`${P}-file`} className="button button--secondary upload__button">
          Приложить файл
        </label>
        <p id={`${P}-file-hint`} className="field__hint">
          Брошюра-презентация практики — PDF; также DOCX, ODT, XLSX, изображения. До 10 МБ каждый файл.
        </p>
        {form.errors.attachmentIds && <p className="field__error">{form.errors.attachmentIds}</p>}
        {upload && (
          <p className={upload.error ? 'field__error' : 'small'} role={upload.error ? 'alert' : 'status'}>
            {upload.error ?? (
              <>
                <progress max={1} value={upload.progress} aria-label={`Загрузка ${upload.name}`} /> {upload.name} загружается…
              </>
            )}
          </p>
        )}
      </fieldset>

      <div className="actions contest-submit">
        <button type="button" className="button button--secondary" onClick={() => run('save')} disabled={busy !== null}>
          Сохранить черновик
        </button>
        <button type="submit" className="button" disabled={busy !== null}>
          {a.status === 'returned' ? 'Подать повторно' : 'Подать заявку'}
        </button>
      </div>
    </form>
  );
}

function FilesListEditable({ application, onRemove }: { application: Application; onRemove: (id: number) => void }) {
  const files = applicationFiles(application);
  if (files.length === 0) return <p className="muted">Файлы ещё не приложены.</p>;
  return (
    <ul className="contest-files">
      {files.map((f) => (
        <li key={f.id}>
          <a href={f.url}>{f.fileName}</a>
          {f.size > 0 && <span className="muted"> · {fileSize(f.size)}</span>}{' '}
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => onRemove(f.id)}
            aria-label={`Убрать файл ${f.fileName}`}
          >
            Убрать
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The region's compliance check: conforms, or back to the municipality with remarks; then admission. */
function CheckForm({ application: a, onNotice }: { application: Application; onNotice: (t: string) => void }) {
  const refresh = useRefreshContest();
  const [verdict, setVerdict] = useState('conforms');
  const [remarks, setRemarks] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [remarksError, setRemarksError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  if (a.status === 'conforms') {
    return (
      <section className="card contest-check" aria-labelledby="check-title">
        <h2 id="check-title">Допуск к участию</h2>
        <p>Заявка соответствует Положению. Допустите её к участию в конкурсе.</p>
        {error && (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await admitApplication(a.id);
              await refresh();
              onNotice('Заявка допущена к участию в конкурсе.');
            } catch (err) {
              setError(contestError(err));
            } finally {
              setBusy(false);
            }
          }}
        >
          Допустить к участию
        </button>
      </section>
    );
  }
  if (a.status !== 'submitted') return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setRemarksError(undefined);
    const conforms = verdict === 'conforms';
    if (!conforms && !remarks.trim()) {
      setRemarksError('Напишите замечания: что исправить в заявке.');
      return;
    }
    setBusy(true);
    try {
      await checkApplication(a.id, { conforms, ...(remarks.trim() ? { remarks: remarks.trim() } : {}) });
      await refresh();
      onNotice(conforms ? 'Заявка соответствует Положению.' : 'Заявка возвращена на доработку с замечаниями.');
    } catch (err) {
      const fields = contestFieldErrors(err, (p) => p);
      if (fields.remarks) setRemarksError(fields.remarks);
      else setError(contestMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form contest-check" onSubmit={submit} noValidate aria-labelledby="check-title">
      <h2 id="check-title">Проверка на соответствие Положению</h2>
      <RadioGroup
        id="check-verdict"
        legend="Результат проверки"
        name="verdict"
        value={verdict}
        onValue={setVerdict}
        options={[
          { value: 'conforms', label: 'Соответствует Положению' },
          { value: 'return', label: 'Вернуть на доработку с замечаниями' },
        ]}
      />
      <TextAreaField
        id="check-remarks"
        label="Замечания"
        optional={verdict === 'conforms'}
        rows={3}
        value={remarks}
        onValue={setRemarks}
        error={remarksError}
        hint="Что исправить или дополнить — муниципалитет увидит это в заявке."
      />
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button" disabled={busy}>
        Записать результат проверки
      </button>
      <p className="small muted">
        <Link to={`/staff/contest/${a.contestId}`}>Вернуться к списку заявок</Link>
      </p>
    </form>
  );
}
