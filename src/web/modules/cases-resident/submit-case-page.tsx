import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../app/api.ts';
import { errorMessage } from '../../app/errors-ru.ts';
import { useChosenMunicipality } from '../../app/municipality-choice.ts';
import { useMe } from '../../app/session.tsx';
import {
  Alert,
  CheckboxField,
  ErrorSummary,
  Icon,
  Loading,
  QueryError,
  SelectField,
  TextField,
  useFormErrors,
  usePageTitle,
} from '../../app/ui.tsx';
import { fullName } from '../accounts/accounts.api.ts';
import { usePublicMunicipalities } from '../tenancy/tenancy.api.ts';
import {
  type Attachment,
  type CoSigner,
  caseKeys,
  newIdempotencyKey,
  type SubmitInput,
  submitCase,
  uploadAttachment,
  useCategories,
  useSimilarCases,
} from './cases.api.ts';
import { RadioGroup, TextAreaField } from './fields.tsx';
import { fileSize, KIND_NAMES, statusName } from './names.ts';

const P = 'case-new';
/** The contract's limits for attachments: 10 files, 10 MB each (the server checks them too). */
const MAX_FILES = 10;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Similar cases are looked for once the text says something, and after typing pauses. */
const SIMILAR_MIN_CHARS = 30;
const SIMILAR_DELAY_MS = 700;

const CO_FIELDS = ['lastName', 'firstName', 'middleName', 'email', 'postalAddress'] as const;
type CoField = (typeof CO_FIELDS)[number];
type CoRow = Record<CoField, string> & { key: number };

const FIELDS = [
  'municipalityId',
  'regime',
  'kind',
  'categoryId',
  'text',
  'address',
  'answerBy',
  'postalAddress',
  'phone',
  'attachmentIds',
  'coSigners',
];
const LABELS: Record<string, string> = {
  municipalityId: 'Муниципалитет',
  regime: 'Вид обращения',
  kind: 'Характер обращения',
  categoryId: 'Тема',
  text: 'Текст обращения',
  address: 'Адрес места',
  answerBy: 'Как получить ответ',
  postalAddress: 'Почтовый адрес',
  phone: 'Телефон',
  attachmentIds: 'Файлы',
  coSigners: 'Соавторы',
};
const CO_LABELS: Record<CoField, string> = {
  lastName: 'Фамилия',
  firstName: 'Имя',
  middleName: 'Отчество',
  email: 'Электронная почта',
  postalAddress: 'Почтовый адрес',
};
/**
 * `coSigners.1.lastName` (the schema's path) or `coSigners[1].lastName` (the intake's own check) stays a field of
 * its own — its input has that id; anything else is its first segment.
 */
function fieldOf(path: string): string {
  const co = path.match(/^coSigners(?:\.|\[)(\d+)\]?\.(\w+)$/);
  return co ? `coSigners.${co[1]}.${co[2]}` : (path.split('.')[0] ?? path);
}

interface Upload {
  key: number;
  file: File;
  progress: number;
  done?: Attachment;
  error?: string;
}

/** Why the server refused a file, in Russian: by its code and message, or its own words when they are Russian. */
function uploadError(error: unknown): string {
  if (error instanceof ApiError) {
    const m = error.message;
    if (/[А-Яа-яЁё]{3}/.test(m) && !/^[A-Za-z]/.test(m)) return m;
    if (error.status === 404 && /^No route /.test(m)) return 'Файл не принят: загрузка файлов пока недоступна.';
    if (error.code === 'PAYLOAD_TOO_LARGE') return 'Файл не принят: он больше 10 МБ.';
    if (error.code === 'EMPTY_BODY') return 'Файл не принят: он пустой. Выберите его ещё раз.';
    if (error.code === 'RATE_LIMITED')
      return 'Файл не принят: загружено много файлов, ещё не приложенных к обращению. Сначала отправьте обращение.';
    if (/programs and scripts are not accepted/.test(m))
      return 'Файл не принят: это программа или сценарий, их прикладывать нельзя.';
    if (/but its content is/.test(m))
      return 'Файл не принят: его содержимое не совпадает с типом (например, это не изображение). Выберите настоящий файл.';
    if (error.code === 'UNSUPPORTED_MEDIA_TYPE')
      return 'Файл не принят: такой формат не подходит. Можно приложить фото (JPEG, PNG, WebP, HEIC), PDF, текст, DOCX, XLSX или ODT.';
  }
  return `Файл не принят: ${errorMessage(error)}`;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/** Cases already filed that look like this one: shown before submitting, so the resident may follow one instead. */
function SimilarHint({
  municipalityId,
  categoryId,
  text,
}: {
  municipalityId: number | null;
  categoryId: number | null;
  text: string;
}) {
  const debounced = useDebounced(text.trim(), SIMILAR_DELAY_MS);
  const similar = useSimilarCases(municipalityId, categoryId, debounced.length >= SIMILAR_MIN_CHARS ? debounced : '');
  const items = similar.data?.items ?? [];
  const others = similar.data?.hiddenCount ?? 0;
  return (
    <div aria-live="polite">
      {(items.length > 0 || others > 0) && (
        <div className="alert alert--info rcase-similar">
          <p className="alert__title">Похожие обращения уже поданы</p>
          {others > 0 && (
            <p>
              Похожие обращения других жителей на рассмотрении: {others}. Возможно, вопрос уже решается — но вы всё равно можете
              подать своё обращение.
            </p>
          )}
          {items.length > 0 && (
            <>
              <p>Ваши обращения, которые ещё рассматриваются:</p>
              <ul className="rcase-similar__list">
                {items.slice(0, 5).map((c) => (
                  <li key={c.id} className="rcase-similar__item">
                    <Link to={`/cabinet/cases/${c.id}`} target="_blank">
                      № {c.number}
                      <span className="visually-hidden"> (откроется в новой вкладке, заполненная форма останется)</span>
                    </Link>
                    {c.categoryName && <> · {c.categoryName}</>} · {statusName(c.status).toLowerCase()}
                    <span className="rcase-similar__text">{c.text.length > 160 ? `${c.text.slice(0, 160)}…` : c.text}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}

export function SubmitCasePage() {
  usePageTitle('Новое обращение');
  const { me } = useMe();
  const navigate = useNavigate();
  const client = useQueryClient();
  const chosen = useChosenMunicipality();
  const municipalities = usePublicMunicipalities();

  const [values, setValues] = useState({
    municipalityId: chosen ? String(chosen.id) : '',
    regime: 'appeal',
    kind: 'statement',
    categoryId: '',
    text: '',
    address: '',
    answerBy: 'email',
    postalAddress: '',
    phone: '',
  });
  const set = (field: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  // One key per filling of the form: a double click or a retry after a lost answer makes one case.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [collective, setCollective] = useState(false);
  const [coSigners, setCoSigners] = useState<CoRow[]>([]);
  const nextKey = useRef(1);
  const sending = useRef(false);
  const form = useFormErrors(P, FIELDS, fieldOf);
  const labels = { ...LABELS };
  coSigners.forEach((_, i) => {
    for (const f of CO_FIELDS) labels[`coSigners.${i}.${f}`] = `Соавтор ${i + 1}, ${CO_LABELS[f].toLowerCase()}`;
  });

  const municipalityId = values.municipalityId ? Number(values.municipalityId) : null;
  const categories = useCategories(municipalityId);
  const activeCategories = categories.data?.filter((c) => c.isActive) ?? [];

  const mutation = useMutation({
    mutationFn: (input: SubmitInput) => submitCase(input, idempotencyKey),
    onMutate: () => form.clear(),
    onSuccess: (card) => {
      client.setQueryData(caseKeys.one(card.id), card);
      void client.invalidateQueries({ queryKey: caseKeys.mine });
      navigate(`/cabinet/cases/${card.id}`, { state: { created: true } });
    },
    onError: (error) => form.fromError(error),
    onSettled: () => {
      sending.current = false;
    },
  });

  const uploading = uploads.some((u) => !u.done && !u.error);

  const addFiles = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    const room = MAX_FILES - uploads.filter((u) => !u.error).length;
    const accepted = files.slice(0, Math.max(room, 0));
    const rows: Upload[] = accepted.map((file) => ({ key: nextKey.current++, file, progress: 0 }));
    const skipped = files.slice(accepted.length).map((file) => ({
      key: nextKey.current++,
      file,
      progress: 0,
      error: `Файл не принят: можно приложить не больше ${MAX_FILES} файлов.`,
    }));
    setUploads((list) => [...list, ...rows, ...skipped]);
    const update = (key: number, patch: Partial<Upload>) =>
      setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));
    for (const row of rows) {
      if (row.file.size > MAX_FILE_BYTES) {
        update(row.key, { error: 'Файл не принят: он больше 10 МБ.' });
        continue;
      }
      uploadAttachment(row.file, (progress) => update(row.key, { progress }))
        .then((done) => update(row.key, { done, progress: 1 }))
        .catch((error: unknown) => update(row.key, { error: uploadError(error) }));
    }
  };

  const setCo = (key: number, field: CoField) => (value: string) =>
    setCoSigners((rows) => rows.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  const addCoSigner = () =>
    setCoSigners((rows) => [
      ...rows,
      { key: nextKey.current++, lastName: '', firstName: '', middleName: '', email: '', postalAddress: '' },
    ]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The button is disabled while sending, but a fast double click can land before React redraws it.
    if (sending.current || uploading) return;
    const trimmed = (s: string) => s.trim();
    if (!municipalityId) {
      form.show({ municipalityId: 'Выберите муниципалитет, в администрацию которого обращаетесь.' }, '');
      return;
    }
    const attachmentIds = uploads.flatMap((u) => (u.done ? [u.done.id] : []));
    const signers: CoSigner[] = collective
      ? coSigners.map((r) => ({
          lastName: trimmed(r.lastName),
          firstName: trimmed(r.firstName),
          ...(trimmed(r.middleName) && { middleName: trimmed(r.middleName) }),
          ...(trimmed(r.email) && { email: trimmed(r.email) }),
          ...(trimmed(r.postalAddress) && { postalAddress: trimmed(r.postalAddress) }),
        }))
      : [];
    sending.current = true;
    mutation.mutate({
      municipalityId,
      channel: 'web',
      regime: values.regime as SubmitInput['regime'],
      kind: values.kind,
      ...(values.categoryId && { categoryId: Number(values.categoryId) }),
      text: values.text,
      ...(trimmed(values.address) && { address: trimmed(values.address) }),
      ...(trimmed(values.phone) && { phone: trimmed(values.phone) }),
      answerBy: values.answerBy as SubmitInput['answerBy'],
      ...(values.answerBy === 'post' && trimmed(values.postalAddress) && { postalAddress: trimmed(values.postalAddress) }),
      // Sent only when there are some: the intake refuses fields it does not know.
      ...(attachmentIds.length > 0 && { attachmentIds }),
      ...(signers.length > 0 && { coSigners: signers }),
    });
  };

  if (!me) return null;
  const busy = mutation.isPending || sending.current;

  return (
    <div className="container page page--narrow">
      <nav className="crumbs" aria-label="Навигация">
        <Link to="/cabinet">Личный кабинет</Link> <span aria-hidden="true">›</span> <Link to="/cabinet/cases">Мои обращения</Link>
      </nav>
      <div className="card rcase-form">
        <h1>Новое обращение</h1>
        <p className="lead">Опишите вопрос — обращение зарегистрируют, и вы будете видеть, как его рассматривают.</p>
        <p className="muted">Все поля, кроме отмеченных «необязательно», нужно заполнить.</p>
        <ErrorSummary form={form} labels={labels} />
        <form onSubmit={submit} noValidate className="form">
          <fieldset className="fieldset">
            <legend className="fieldset__legend">Куда и о чём</legend>
            {municipalities.isPending && <Loading text="Загружаем муниципалитеты…" />}
            {municipalities.isError && <QueryError error={municipalities.error} onRetry={() => municipalities.refetch()} />}
            {municipalities.data && (
              <SelectField
                id={`${P}-municipalityId`}
                label="Муниципалитет"
                value={values.municipalityId}
                onValue={(v) => setValues((s) => ({ ...s, municipalityId: v, categoryId: '' }))}
                error={form.errors.municipalityId}
                hint="Администрация, которой вы пишете."
              >
                <option value="">— выберите —</option>
                {municipalities.data.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </SelectField>
            )}
            <RadioGroup
              id={`${P}-regime`}
              name="regime"
              legend="Вид обращения"
              value={values.regime}
              onValue={set('regime')}
              error={form.errors.regime}
              options={[
                {
                  value: 'appeal',
                  label: 'Обращение по закону № 59-ФЗ',
                  hint: 'Письменный ответ по существу в течение 30 дней со дня регистрации (ст. 12 ч. 1).',
                },
                {
                  value: 'message',
                  label: 'Сообщение о проблеме',
                  hint: 'Быстрее: ответ в срок, установленный для темы, обычно 10 рабочих дней (ПП РФ № 1802).',
                },
              ]}
            />
            <SelectField
              id={`${P}-kind`}
              label="Характер обращения"
              value={values.kind}
              onValue={set('kind')}
              error={form.errors.kind}
              hint="Предложение — как улучшить; заявление — просьба о помощи или о нарушении; жалоба — о нарушенном праве."
            >
              {Object.entries(KIND_NAMES).map(([value, name]) => (
                <option key={value} value={value}>
                  {name}
                </option>
              ))}
            </SelectField>
            {categories.isError && <QueryError error={categories.error} onRetry={() => categories.refetch()} />}
            <SelectField
              id={`${P}-categoryId`}
              label="Тема"
              optional
              value={values.categoryId}
              onValue={set('categoryId')}
              error={form.errors.categoryId}
              disabled={!municipalityId || categories.isPending}
              hint="По теме обращение сразу попадёт в нужное подразделение."
            >
              <option value="">{municipalityId ? '— не знаю, пусть определят —' : '— сначала выберите муниципалитет —'}</option>
              {activeCategories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </SelectField>
          </fieldset>

          <fieldset className="fieldset">
            <legend className="fieldset__legend">Суть обращения</legend>
            <TextAreaField
              id={`${P}-text`}
              label="Текст обращения"
              value={values.text}
              onValue={set('text')}
              error={form.errors.text}
              rows={7}
              maxLength={20000}
              hint="Что случилось, где и что вы просите сделать."
            />
            <SimilarHint
              municipalityId={municipalityId}
              categoryId={values.categoryId ? Number(values.categoryId) : null}
              text={values.text}
            />
            <TextField
              id={`${P}-address`}
              label="Адрес места"
              optional
              value={values.address}
              onValue={set('address')}
              error={form.errors.address}
              maxLength={500}
              autoComplete="off"
              hint="Где проблема: улица, дом, ориентир."
            />
          </fieldset>

          <fieldset className="fieldset">
            <legend className="fieldset__legend">Фотографии и документы</legend>
            <div className={`field${form.errors.attachmentIds ? ' field--error' : ''}`}>
              {/*
                Two pickers: the camera straight away (`capture`: a phone opens it instead of the gallery, and takes
                one shot at a time), and files from the gallery or the disk, several at once. Each input is hidden
                behind its label, which looks like a button; keyboard focus shows on the label.
              */}
              <div className="upload__pickers">
                <input
                  id={`${P}-camera`}
                  className="upload__input"
                  type="file"
                  accept="image/*"
                  capture="environment"
                  onChange={addFiles}
                  aria-describedby={`${P}-files-hint`}
                />
                <label htmlFor={`${P}-camera`} className="button button--secondary upload__button">
                  Сфотографировать
                </label>
                <input
                  id={`${P}-attachmentIds`}
                  className="upload__input"
                  type="file"
                  accept="image/*,application/pdf"
                  multiple
                  onChange={addFiles}
                  aria-describedby={`${P}-files-hint`}
                />
                <label htmlFor={`${P}-attachmentIds`} className="button button--secondary upload__button">
                  Выбрать фото или файлы
                </label>
              </div>
              <p id={`${P}-files-hint`} className="field__hint upload__hint">
                Необязательно. До {MAX_FILES} файлов, каждый не больше 10 МБ: фотографии или PDF.
              </p>
              {form.errors.attachmentIds && (
                <p id={`${P}-attachmentIds-error`} className="field__error">
                  {form.errors.attachmentIds}
                </p>
              )}
              {uploads.length > 0 && (
                <ul className="uploads" aria-live="polite">
                  {uploads.map((u) => (
                    <li key={u.key} className={`upload${u.error ? ' upload--error' : ''}`}>
                      <span className="upload__name break">{u.file.name}</span>
                      <span className="upload__meta">{fileSize(u.file.size)}</span>
                      {u.error ? (
                        <span className="upload__status field__error">{u.error}</span>
                      ) : u.done ? (
                        <span className="upload__status upload__status--done">
                          <Icon name="check" /> загружен
                        </span>
                      ) : (
                        <span className="upload__status">
                          <progress max={1} value={u.progress} aria-label={`Загрузка ${u.file.name}`} /> загружается…
                        </span>
                      )}
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        onClick={() => setUploads((list) => list.filter((x) => x.key !== u.key))}
                        aria-label={`Убрать файл ${u.file.name}`}
                        disabled={!u.done && !u.error}
                      >
                        Убрать
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </fieldset>

          <fieldset className="fieldset">
            <legend className="fieldset__legend">Заявитель и ответ</legend>
            <dl className="facts">
              <div>
                <dt>Фамилия, имя, отчество</dt>
                <dd>{fullName(me)}</dd>
              </div>
              <div>
                <dt>Электронная почта</dt>
                <dd className="break">{me.email}</dd>
              </div>
            </dl>
            <p className="muted small">
              Берутся из вашей учётной записи: письменное обращение называет фамилию и адрес для ответа (59-ФЗ ст. 7 ч. 1).
            </p>
            <RadioGroup
              id={`${P}-answerBy`}
              name="answerBy"
              legend="Как получить ответ"
              value={values.answerBy}
              onValue={set('answerBy')}
              error={form.errors.answerBy}
              options={[
                { value: 'email', label: 'По электронной почте', hint: 'Ответ придёт на ваш адрес и будет в личном кабинете.' },
                { value: 'post', label: 'Письмом по почте', hint: 'Нужен почтовый адрес с индексом.' },
              ]}
            />
            {values.answerBy === 'post' && (
              <TextAreaField
                id={`${P}-postalAddress`}
                label="Почтовый адрес для ответа"
                value={values.postalAddress}
                onValue={set('postalAddress')}
                error={form.errors.postalAddress}
                rows={2}
                maxLength={500}
                autoComplete="street-address"
                hint="Индекс, населённый пункт, улица, дом, квартира. Без него ответ по почте отправить нельзя (59-ФЗ ст. 7 ч. 1)."
              />
            )}
            <TextField
              id={`${P}-phone`}
              label="Телефон"
              optional
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              value={values.phone}
              onValue={set('phone')}
              error={form.errors.phone}
              maxLength={40}
              hint="Чтобы исполнитель мог уточнить детали."
            />
          </fieldset>

          <fieldset className="fieldset">
            <legend className="fieldset__legend">Коллективное обращение</legend>
            <CheckboxField
              id={`${P}-collective`}
              label="Обращение подписывают и другие жители"
              optional
              checked={collective}
              onChecked={(on) => {
                setCollective(on);
                if (on && coSigners.length === 0) addCoSigner();
              }}
              error={form.errors.coSigners}
            />
            {collective && (
              <div className="cosigners">
                {coSigners.map((r, i) => (
                  <fieldset key={r.key} className="cosigner">
                    <legend className="fieldset__legend fieldset__legend--small">Соавтор {i + 1}</legend>
                    {CO_FIELDS.map((f) => (
                      <TextField
                        key={f}
                        id={`${P}-coSigners.${i}.${f}`}
                        label={CO_LABELS[f]}
                        optional={f !== 'lastName' && f !== 'firstName'}
                        value={r[f]}
                        onValue={setCo(r.key, f)}
                        error={form.errors[`coSigners.${i}.${f}`]}
                        type={f === 'email' ? 'email' : 'text'}
                        maxLength={f === 'postalAddress' ? 500 : f === 'email' ? 254 : 100}
                        autoComplete="off"
                      />
                    ))}
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setCoSigners((rows) => rows.filter((x) => x.key !== r.key))}
                    >
                      Убрать соавтора {i + 1}
                    </button>
                  </fieldset>
                ))}
                <p className="muted small">Укажите адрес почты или почтовый адрес соавтора, чтобы ответ получил и он.</p>
                <button type="button" className="button button--secondary" onClick={addCoSigner}>
                  Добавить соавтора
                </button>
              </div>
            )}
          </fieldset>

          <p className="muted small">
            Согласие на обработку персональных данных для обращения не требуется: обращения рассматриваются по закону № 59-ФЗ.
            Данные из обращения не передаются без вашего согласия в другой орган, кроме как для ответа по компетенции (ст. 6 ч.
            2).
          </p>

          {uploading && (
            <Alert kind="info">
              <p>Дождитесь, пока загрузятся файлы.</p>
            </Alert>
          )}
          <div className="actions">
            <button type="submit" className="button button--large" disabled={busy || uploading}>
              {busy ? 'Отправляем…' : 'Отправить обращение'}
            </button>
            <Link to="/cabinet/cases">Отмена</Link>
          </div>
        </form>
      </div>
    </div>
  );
}
