import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../../app/api.ts';
import { errorMessage } from '../../app/errors-ru.ts';
import {
  Alert,
  Badge,
  ErrorSummary,
  Loading,
  QueryError,
  SelectField,
  TextField,
  useFormErrors,
  usePageTitle,
} from '../../app/ui.tsx';
import { MunicipalityPicker, useSelectedMunicipality } from '../tenancy/municipality-picker.tsx';
import { type Municipality, useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import {
  type Deadline,
  type DeadlinePreview,
  kindName,
  type PreviewQuery,
  periodText,
  REGIME_NAMES,
  REGIMES,
  type Regime,
  useDeadlinePreview,
} from './calendar.api.ts';
import { formatInZone, instantOf, isKnownZone, isoInZone, localDateInput, localTimeInput, utcOffsetLabel } from './zone.ts';

const LABELS: Record<string, string> = {
  regime: 'Вид',
  atDate: 'Поступило: дата',
  atTime: 'Поступило: время',
  regDate: 'Зарегистрировано: дата',
  regTime: 'Зарегистрировано: время',
  category: 'Код категории',
};
const FIELDS = Object.keys(LABELS);

/** The server's field names on the form: `at` is the receipt (date and time), `registeredAt` the registration. */
const fieldOf = (path: string) => {
  const name = path.replace(/^(query|querystring)\./, '').split('.')[0] ?? path;
  if (name === 'at') return 'atDate';
  if (name === 'registeredAt') return 'regDate';
  return name;
};

function DueTime({ iso, zone }: { iso: string; zone: string }) {
  const { date, time } = formatInZone(iso, zone);
  return (
    <time dateTime={iso} className="due">
      <span className="due__date">{date}</span>{' '}
      <span className="due__time">
        {time}, {utcOffsetLabel(Date.parse(iso), zone)}
      </span>
    </time>
  );
}

/**
 * The moment as it will be sent, in Russian whatever the browser's date-field format, and in the browser's own zone
 * when that differs (a colleague in Moscow sees that 10:00 in Кемерово is 06:00 for them).
 */
function ChosenMoment({ instant, zone }: { instant: number; zone: string }) {
  const iso = new Date(instant).toISOString();
  const there = formatInZone(iso, zone);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const here =
    browserZone && utcOffsetLabel(instant, browserZone) !== utcOffsetLabel(instant, zone) ? formatInZone(iso, browserZone) : null;
  return (
    <p className="field__hint chosen-moment">
      {there.date}, {there.time} ({utcOffsetLabel(instant, zone)})
      {here && (
        <>
          {' '}
          — у вас ({browserZone}) это {here.date === there.date ? '' : `${here.date}, `}
          {here.time}
        </>
      )}
    </p>
  );
}

function DeadlineCard({ deadline, zone }: { deadline: Deadline; zone: string }) {
  const legalDiffers = deadline.internal && deadline.legalDueAt !== deadline.dueAt;
  return (
    <li className={`deadline${deadline.internal ? ' deadline--internal' : ''}`}>
      <div className="deadline__head">
        <h3 className="deadline__kind">{kindName(deadline.kind)}</h3>
        <p className="deadline__due">
          <span className="deadline__due-label">{deadline.internal ? 'Внутренний срок:' : 'Срок:'}</span>{' '}
          <DueTime iso={deadline.dueAt} zone={zone} />
        </p>
      </div>
      {(deadline.internal || deadline.provisional || !deadline.verified) && (
        <p className="deadline__marks">
          {deadline.internal && <Badge kind="info">внутренний контроль</Badge>}
          {deadline.provisional && <Badge kind="warning">предварительный календарь</Badge>}
          {!deadline.verified && <Badge kind="neutral">норма не сверена с официальным текстом</Badge>}
        </p>
      )}
      {legalDiffers && (
        <p className="deadline__legal">
          По закону: <DueTime iso={deadline.legalDueAt} zone={zone} /> ({periodText(deadline.legalAmount, deadline.unit)}).
        </p>
      )}
      <p className="deadline__rule">{deadline.rule}</p>
      <p className="deadline__source">
        <span className="muted">Основание:</span> {deadline.source}
      </p>
    </li>
  );
}

function Results({ preview }: { preview: DeadlinePreview }) {
  const received = formatInZone(preview.at, preview.timeZone);
  const provisional = preview.deadlines.some((d) => d.provisional);
  return (
    <section className="preview-results" aria-labelledby="preview-title" aria-live="polite">
      <h2 id="preview-title">Сроки</h2>
      <p>
        {REGIME_NAMES[preview.regime]}, поступило {received.date} в {received.time} ({preview.timeZone},{' '}
        {utcOffsetLabel(Date.parse(preview.at), preview.timeZone)}). Срок в днях истекает в 23:59 последнего дня по местному
        времени.
      </p>
      {provisional && (
        <Alert kind="warning" title="Предварительный календарь">
          <p>Часть сроков рассчитана по году, календарь которого ещё не утверждён: даты могут измениться.</p>
        </Alert>
      )}
      <ul className="deadlines">
        {preview.deadlines.map((d) => (
          <DeadlineCard key={d.kind} deadline={d} zone={preview.timeZone} />
        ))}
      </ul>
    </section>
  );
}

function PreviewForm({ municipality }: { municipality: Municipality }) {
  const zone = isKnownZone(municipality.timeZone) ? municipality.timeZone : 'Europe/Moscow';
  const [regime, setRegime] = useState<Regime>('appeal');
  const [atDate, setAtDate] = useState(() => localDateInput(Date.now(), zone));
  const [atTime, setAtTime] = useState(() => localTimeInput(Date.now(), zone));
  const [regDate, setRegDate] = useState('');
  const [regTime, setRegTime] = useState('');
  const [category, setCategory] = useState('');
  const form = useFormErrors('dl', FIELDS, fieldOf);
  const [submitted, setSubmitted] = useState<PreviewQuery | null>(null);
  const preview = useDeadlinePreview(submitted);

  // A server refusal shows at the fields (a malformed instant, an unknown category…).
  const { fromError } = form;
  useEffect(() => {
    if (preview.error instanceof ApiError && preview.error.code === 'VALIDATION_FAILED') fromError(preview.error);
  }, [preview.error, fromError]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const at = instantOf(atDate, atTime, zone);
    if (!atDate) errors.atDate = 'Укажите дату поступления.';
    else if (!atTime) errors.atTime = 'Укажите время поступления.';
    else if (at === null) errors.atDate = 'Дата или время указаны неверно.';
    let registeredAt: number | null = null;
    if (regDate || regTime) {
      registeredAt = instantOf(regDate, regTime || '00:00', zone);
      if (!regDate) errors.regDate = 'Укажите дату регистрации или очистите время.';
      else if (registeredAt === null) errors.regDate = 'Дата или время регистрации указаны неверно.';
      else if (at !== null && registeredAt < at)
        errors.regDate = 'Обращение не может быть зарегистрировано раньше, чем поступило.';
    }
    if (Object.keys(errors).length || at === null) {
      form.show(errors, 'Проверьте поля формы.');
      return;
    }
    form.clear();
    setSubmitted({
      municipality: municipality.id,
      regime,
      at: isoInZone(at, zone),
      ...(registeredAt !== null ? { registeredAt: isoInZone(registeredAt, zone) } : {}),
      ...(category.trim() && regime !== 'appeal' ? { category: category.trim() } : {}),
    });
  };

  const atInstant = instantOf(atDate, atTime, zone);
  const offset = utcOffsetLabel(atInstant ?? Date.now(), zone);
  const zoneHint = `По местному времени муниципалитета: ${zone}, ${offset}.`;
  const validationError = preview.error instanceof ApiError && preview.error.code === 'VALIDATION_FAILED';
  const rangeError = preview.error instanceof ApiError && preview.error.code === 'CALENDAR_RANGE';

  return (
    <>
      <section className="card form-panel" aria-labelledby="dl-form-title">
        <h2 id="dl-form-title">Что проверить</h2>
        <ErrorSummary form={form} labels={LABELS} />
        <form onSubmit={submit} noValidate className="form form--grid">
          <SelectField
            id="dl-regime"
            label={LABELS.regime!}
            value={regime}
            onValue={(v) => setRegime(v as Regime)}
            error={form.errors.regime}
            fieldClassName="form__wide"
          >
            {REGIMES.map((r) => (
              <option key={r} value={r}>
                {REGIME_NAMES[r]}
              </option>
            ))}
          </SelectField>
          <fieldset className="fieldset form__wide">
            <legend className="fieldset__legend fieldset__legend--small">Поступило</legend>
            <p className="field__hint" id="dl-at-zone">
              {zoneHint}
            </p>
            <div className="form--pair">
              <TextField
                id="dl-atDate"
                label="Дата"
                type="date"
                value={atDate}
                onValue={setAtDate}
                error={form.errors.atDate}
                aria-label="Поступило: дата"
                min="2020-01-01"
                max="2027-12-31"
              />
              <TextField
                id="dl-atTime"
                label="Время"
                type="time"
                value={atTime}
                onValue={setAtTime}
                error={form.errors.atTime}
                aria-label="Поступило: время"
              />
            </div>
            {atInstant !== null && <ChosenMoment instant={atInstant} zone={zone} />}
          </fieldset>
          {regime === 'appeal' && (
            <fieldset className="fieldset form__wide">
              <legend className="fieldset__legend fieldset__legend--small">
                Зарегистрировано <span className="field__optional">(необязательно)</span>
              </legend>
              <p className="field__hint">
                Сроки ответа по 59-ФЗ считаются со дня регистрации. Если не указано — считается, что обращение зарегистрировано в
                день поступления. {zoneHint}
              </p>
              <div className="form--pair">
                <TextField
                  id="dl-regDate"
                  label="Дата"
                  type="date"
                  required={false}
                  value={regDate}
                  onValue={setRegDate}
                  error={form.errors.regDate}
                  aria-label="Зарегистрировано: дата"
                  min="2020-01-01"
                  max="2027-12-31"
                />
                <TextField
                  id="dl-regTime"
                  label="Время"
                  type="time"
                  required={false}
                  value={regTime}
                  onValue={setRegTime}
                  error={form.errors.regTime}
                  aria-label="Зарегистрировано: время"
                />
              </div>
            </fieldset>
          )}
          {regime !== 'appeal' && (
            <TextField
              id="dl-category"
              label={LABELS.category!}
              optional
              value={category}
              onValue={setCategory}
              error={form.errors.category}
              hint="Если для категории установлен свой срок (например, housing). Без кода — срок по умолчанию."
              autoComplete="off"
              spellCheck={false}
              fieldClassName="form__wide"
            />
          )}
          <div className="actions form__wide">
            <button type="submit" className="button" disabled={preview.isFetching}>
              {preview.isFetching ? 'Считаем…' : 'Рассчитать сроки'}
            </button>
          </div>
        </form>
      </section>
      {preview.isFetching && !preview.data && <Loading text="Считаем сроки…" />}
      {preview.isError && rangeError && (
        <Alert kind="error" title="Сроки не рассчитаны">
          <p>
            {errorMessage(preview.error)} Срок, который заканчивается за пределами этих лет, посчитать нельзя — для следующего
            года календарь появится после публикации поправки.
          </p>
        </Alert>
      )}
      {preview.isError && !validationError && !rangeError && (
        <QueryError error={preview.error} onRetry={() => preview.refetch()} />
      )}
      {preview.data && !preview.isError && <Results preview={preview.data} />}
    </>
  );
}

export function DeadlinePreviewPage() {
  usePageTitle('Проверка сроков');
  const municipalities = useAdminMunicipalities();
  const items = municipalities.data;
  const [selected, select] = useSelectedMunicipality(items);
  const municipality = items?.find((m) => m.id === selected) ?? null;

  return (
    <>
      <h1>Проверка сроков</h1>
      <p className="lead">
        Когда истекают сроки по обращению, сообщению или инциденту, поступившему в указанный момент: по производственному
        календарю, в часовом поясе муниципалитета и с его внутренними контрольными сроками.
      </p>
      {municipalities.isPending && <Loading />}
      {municipalities.isError && <QueryError error={municipalities.error} onRetry={() => municipalities.refetch()} />}
      {items && items.length === 0 && (
        <Alert kind="warning">
          <p>За вами не закреплён ни один муниципалитет.</p>
        </Alert>
      )}
      {items && items.length > 0 && (
        <MunicipalityPicker id="dl-municipality" items={items} selected={selected} onSelect={select} />
      )}
      {municipality && <PreviewForm key={municipality.id} municipality={municipality} />}
    </>
  );
}
