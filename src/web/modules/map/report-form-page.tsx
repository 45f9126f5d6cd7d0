import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../app/errors-ru.ts';
import { useChosenMunicipality } from '../../app/municipality-choice.ts';
import { Alert, CheckboxField, ErrorSummary, Icon, SelectField, TextField, useFormErrors, usePageTitle } from '../../app/ui.tsx';
import { newIdempotencyKey, uploadAttachment, useCategories } from '../cases-resident/cases.api.ts';
import { TextAreaField } from '../cases-resident/fields.tsx';
import { LeafletMap } from './leaflet-map.tsx';
import {
  type Attribute,
  joinReport,
  locate,
  submitReport,
  useAttributes,
  useBoundaries,
  useMapConfig,
  useMunicipalities,
  useNearby,
} from './map.api.ts';
import { dateRu, metres } from './names.ts';

const P = 'report';
const MAX_PHOTOS = 5;
const BASE_FIELDS = ['lat', 'municipalityId', 'categoryId', 'text', 'address', 'attachmentIds'] as const;
const LABELS: Record<string, string> = {
  lat: 'Место на карте',
  municipalityId: 'Муниципалитет',
  categoryId: 'Вид проблемы',
  text: 'Описание',
  address: 'Адрес или ориентир',
  attachmentIds: 'Фотографии',
};

interface Photo {
  key: string;
  file: File;
  progress: number;
  id?: number;
  error?: string;
}

/**
 * Reporting a problem on the map, phone first (issue 5): tap the map or use the device's location, choose what
 * happened, answer the category's questions, add photos, see what is already reported nearby and join it instead,
 * or submit. The municipality follows the point when boundaries are known (GET /places/locate).
 */
export function ReportFormPage() {
  usePageTitle('Сообщить о проблеме');
  const navigate = useNavigate();
  const chosen = useChosenMunicipality();
  const config = useMapConfig();
  const municipalities = useMunicipalities();
  const [point, setPoint] = useState<{ lat: number; lon: number } | null>(null);
  const [municipalityId, setMunicipalityId] = useState<number | null>(chosen?.id ?? null);
  const [district, setDistrict] = useState<string | null>(null);
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [answers, setAnswers] = useState<Record<string, string | string[]>>({});
  const [address, setAddress] = useState('');
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [geo, setGeo] = useState<string | null>(null);
  const key = useRef(newIdempotencyKey());
  const boundaries = useBoundaries(municipalityId ?? undefined);
  const categories = useCategories(municipalityId);
  const mapCategories = (categories.data ?? []).filter((c) => c.isActive && c.regime !== 'appeal');
  const attributes = useAttributes(categoryId);
  const questions = (attributes.data ?? []).filter((a) => a.variable).sort((a, b) => a.order - b.order);
  const nearby = useNearby(point, categoryId);
  const fields = useMemo(() => [...BASE_FIELDS, ...questions.map((q) => `attributes.${q.code}`)], [questions]);
  const form = useFormErrors(P, fields, (path) => (path.startsWith('attributes.') ? path : (path.split('.')[0] ?? path)));
  const labels = { ...LABELS, ...Object.fromEntries(questions.map((q) => [`attributes.${q.code}`, q.description])) };

  // The point decides the municipality when the server knows the boundaries.
  useEffect(() => {
    if (!point) return;
    let cancelled = false;
    locate(point.lat, point.lon)
      .then((where) => {
        if (cancelled || !where) return;
        if (where.municipality) {
          setMunicipalityId((current) => {
            if (current !== where.municipality?.id) setCategoryId(null);
            return where.municipality?.id ?? current;
          });
        }
        setDistrict(where.district?.name ?? null);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [point]);

  const join = useMutation({
    mutationFn: joinReport,
    onSuccess: (r) =>
      navigate(`/cabinet/cases/${r.id}`, { state: { notice: `Вы присоединились к сообщению ${r.primaryNumber}` } }),
    onError: (error) => form.fromError(error),
  });
  const submit = useMutation({
    mutationFn: () => {
      if (!point || !municipalityId || !categoryId) throw new Error('incomplete');
      const attachmentIds = photos.flatMap((p) => (p.id ? [p.id] : []));
      const given = Object.fromEntries(
        Object.entries(answers).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v.trim() !== '')),
      );
      return submitReport(
        {
          municipalityId,
          channel: 'web',
          categoryId,
          text: text.trim(),
          lat: point.lat,
          lon: point.lon,
          ...(address.trim() && { address: address.trim() }),
          ...(attachmentIds.length && { attachmentIds }),
          ...(Object.keys(given).length && { attributes: given }),
        },
        key.current,
      );
    },
    onSuccess: (c) => navigate(`/cabinet/cases/${c.id}`, { state: { notice: `Сообщение ${c.number} отправлено` } }),
    onError: (error) => form.fromError(error),
  });

  const uploading = photos.some((p) => !p.id && !p.error);

  function addPhotos(files: FileList | null) {
    if (!files) return;
    const room = MAX_PHOTOS - photos.filter((p) => !p.error).length;
    const rows = Array.from(files)
      .slice(0, Math.max(room, 0))
      .map((file) => ({ key: `${file.name}-${file.size}-${Math.random()}`, file, progress: 0 }));
    setPhotos((ps) => [...ps, ...rows]);
    for (const row of rows) {
      const update = (patch: Partial<Photo>) => setPhotos((ps) => ps.map((p) => (p.key === row.key ? { ...p, ...patch } : p)));
      uploadAttachment(row.file, (progress) => update({ progress }))
        .then((a) => update({ id: a.id, progress: 1 }))
        .catch((error: unknown) => update({ error: errorMessage(error) }));
    }
  }

  function locateMe() {
    if (!navigator.geolocation) {
      setGeo('Браузер не умеет определять местоположение. Отметьте место на карте.');
      return;
    }
    setGeo('Определяем местоположение…');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setPoint({ lat: pos.coords.latitude, lon: pos.coords.longitude });
        setGeo(null);
      },
      () => setGeo('Не удалось определить местоположение. Отметьте место на карте.'),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!point) missing.lat = 'Отметьте место на карте';
    if (!municipalityId) missing.municipalityId = 'Выберите муниципалитет';
    if (!categoryId) missing.categoryId = 'Выберите, что случилось';
    if (!text.trim()) missing.text = 'Опишите проблему';
    for (const q of questions) {
      const v = answers[q.code];
      if (q.required && (v === undefined || (Array.isArray(v) ? v.length === 0 : !v.trim()))) {
        missing[`attributes.${q.code}`] = 'Ответьте на вопрос';
      }
    }
    if (Object.keys(missing).length) {
      form.show(missing, 'Заполните форму');
      return;
    }
    form.clear();
    submit.mutate();
  }

  const duplicates = nearby.data ?? [];
  const busy = submit.isPending || join.isPending;
  return (
    <div className="container page report-form">
      <p className="breadcrumbs">
        <Link to="/map">
          <Icon name="map" /> Карта сообщений
        </Link>
      </p>
      <h1>Сообщить о проблеме</h1>
      <p className="lead">Яма, не горит фонарь, переполнена урна — отметьте место, и сообщение попадёт в нужную службу.</p>
      <ErrorSummary form={form} labels={labels} />
      <form onSubmit={onSubmit} noValidate>
        <section className="report-form__step" aria-labelledby={`${P}-where`}>
          <h2 id={`${P}-where`}>1. Где?</h2>
          <p className="field__hint" id={`${P}-lat-hint`}>
            Нажмите на карту в том месте, где проблема, или определите своё местоположение.
          </p>
          {form.errors.lat && (
            <p className="field__error" id={`${P}-lat-error`}>
              {form.errors.lat}
            </p>
          )}
          <div className="map-frame" id={`${P}-lat`} tabIndex={-1}>
            <LeafletMap
              label="Карта: нажмите, чтобы отметить место проблемы"
              tileUrl={config.data?.tileUrl ?? null}
              attribution={config.data?.attribution ?? null}
              boundaries={boundaries.data}
              fitBoundaries={!point}
              pick={point}
              onPick={(lat, lon) => setPoint({ lat: round(lat), lon: round(lon) })}
              className="map--report"
            />
          </div>
          <div className="report-form__where">
            <button type="button" className="button button--secondary" onClick={locateMe}>
              <Icon name="pin" /> Моё местоположение
            </button>
            <p className="report-form__point" aria-live="polite">
              {point
                ? `Место отмечено: ${point.lat.toFixed(5)}, ${point.lon.toFixed(5)}${district ? ` (${district})` : ''}`
                : 'Место ещё не отмечено'}
            </p>
          </div>
          {geo && <p className="field__hint">{geo}</p>}
          <SelectField
            id={`${P}-municipalityId`}
            label="Муниципалитет"
            value={String(municipalityId ?? '')}
            onValue={(v) => {
              setMunicipalityId(v ? Number(v) : null);
              setCategoryId(null);
            }}
            error={form.errors.municipalityId}
          >
            <option value="">Выберите</option>
            {(municipalities.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </SelectField>
          <TextField
            id={`${P}-address`}
            label="Адрес или ориентир"
            optional
            value={address}
            onValue={setAddress}
            error={form.errors.address}
            placeholder="Например: ул. Весенняя, 5, у второго подъезда"
          />
        </section>

        <section className="report-form__step" aria-labelledby={`${P}-what`}>
          <h2 id={`${P}-what`}>2. Что случилось?</h2>
          <SelectField
            id={`${P}-categoryId`}
            label="Вид проблемы"
            value={String(categoryId ?? '')}
            onValue={(v) => {
              setCategoryId(v ? Number(v) : null);
              setAnswers({});
            }}
            error={form.errors.categoryId}
            disabled={!municipalityId}
            hint={municipalityId ? undefined : 'Сначала отметьте место или выберите муниципалитет'}
          >
            <option value="">Выберите</option>
            {mapCategories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>

          {duplicates.length > 0 && (
            <section className="nearby" aria-labelledby={`${P}-nearby`}>
              <h3 id={`${P}-nearby`}>Рядом об этом уже сообщили</h3>
              <p className="field__hint">
                Присоединитесь — ответ по этому сообщению придёт и вам, а служба увидит, что проблема волнует многих.
              </p>
              <ul className="nearby__list">
                {duplicates.map((d) => (
                  <li key={d.id} className="nearby__item">
                    <div className="nearby__body">
                      <Link to={`/map/reports/${d.id}`} target="_blank" className="nearby__number">
                        {d.number}
                      </Link>
                      <span className="nearby__meta">
                        {metres(d.distance)} от отмеченного места · {dateRu(d.receivedAt)}
                        {d.address ? ` · ${d.address}` : ''}
                      </span>
                    </div>
                    <button type="button" className="button" disabled={busy} onClick={() => join.mutate(d.id)}>
                      Присоединиться
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}

          {questions.map((q) => (
            <Question
              key={q.code}
              q={q}
              value={answers[q.code]}
              error={form.errors[`attributes.${q.code}`]}
              onValue={(v) => setAnswers((a) => ({ ...a, [q.code]: v }))}
            />
          ))}

          <TextAreaField
            id={`${P}-text`}
            label="Описание"
            value={text}
            onValue={setText}
            error={form.errors.text}
            rows={4}
            maxLength={5000}
            hint="Что именно не так и с какого времени"
          />
        </section>

        <section className="report-form__step" aria-labelledby={`${P}-photos`}>
          <h2 id={`${P}-photos`}>3. Фото</h2>
          <div className="upload__pickers">
            <input
              id={`${P}-camera`}
              type="file"
              accept="image/*"
              capture="environment"
              className="upload__input"
              onChange={(e) => {
                addPhotos(e.target.files);
                e.target.value = '';
              }}
            />
            <label htmlFor={`${P}-camera`} className="button button--secondary upload__button">
              Сфотографировать
            </label>
            <input
              id={`${P}-attachmentIds`}
              type="file"
              accept="image/jpeg,image/png,image/webp,image/gif,image/heic"
              multiple
              className="upload__input"
              onChange={(e) => {
                addPhotos(e.target.files);
                e.target.value = '';
              }}
            />
            <label htmlFor={`${P}-attachmentIds`} className="button button--secondary upload__button">
              Выбрать фото
            </label>
          </div>
          <p className="field__hint">
            До {MAX_PHOTOS} фото. Первое фото будет видно всем на карте — не снимайте людей и номера машин.
          </p>
          {form.errors.attachmentIds && <p className="field__error">{form.errors.attachmentIds}</p>}
          {photos.length > 0 && (
            <ul className="uploads" aria-live="polite">
              {photos.map((p) => (
                <li key={p.key} className={`upload${p.error ? ' upload--error' : ''}`}>
                  <span className="upload__name break">{p.file.name}</span>
                  {p.error ? (
                    <span className="upload__status field__error">{p.error}</span>
                  ) : p.id ? (
                    <span className="upload__status upload__status--done">загружено</span>
                  ) : (
                    <span className="upload__status">{Math.round(p.progress * 100)}%</span>
                  )}
                  <button
                    type="button"
                    className="button button--small button--secondary"
                    onClick={() => setPhotos((ps) => ps.filter((x) => x.key !== p.key))}
                  >
                    Убрать
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>

        {uploading && <Alert kind="info">Дождитесь загрузки фото.</Alert>}
        <div className="actions report-form__submit">
          <button type="submit" className="button button--large" disabled={busy || uploading}>
            {submit.isPending ? 'Отправляем…' : 'Отправить сообщение'}
          </button>
        </div>
      </form>
    </div>
  );
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** One of the category's questions (Open311 service attributes) as a form field. */
function Question({
  q,
  value,
  error,
  onValue,
}: {
  q: Attribute;
  value: string | string[] | undefined;
  error: string | undefined;
  onValue: (v: string | string[]) => void;
}) {
  const id = `${P}-attributes.${q.code}`;
  const hint = q.datatypeDescription ?? undefined;
  if (q.datatype === 'singlevaluelist') {
    return (
      <SelectField
        id={id}
        label={q.description}
        value={String(value ?? '')}
        onValue={onValue}
        error={error}
        hint={hint}
        optional={!q.required}
      >
        <option value="">Выберите</option>
        {q.values.map((v) => (
          <option key={v.key} value={v.key}>
            {v.name}
          </option>
        ))}
      </SelectField>
    );
  }
  if (q.datatype === 'multivaluelist') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className="field" id={id} tabIndex={-1}>
        <legend className="field__label">
          {q.description}
          {!q.required && <span className="field__optional"> (необязательно)</span>}
        </legend>
        {error && <p className="field__error">{error}</p>}
        {q.values.map((v) => (
          <CheckboxField
            key={v.key}
            id={`${id}-${v.key}`}
            label={v.name}
            checked={chosen.includes(v.key)}
            onChecked={(on) => onValue(on ? [...chosen, v.key] : chosen.filter((k) => k !== v.key))}
          />
        ))}
      </fieldset>
    );
  }
  if (q.datatype === 'text') {
    return (
      <TextAreaField
        id={id}
        label={q.description}
        value={String(value ?? '')}
        onValue={onValue}
        error={error}
        hint={hint}
        optional={!q.required}
        rows={3}
      />
    );
  }
  return (
    <TextField
      id={id}
      label={q.description}
      value={String(value ?? '')}
      onValue={onValue}
      error={error}
      hint={hint}
      optional={!q.required}
      type={q.datatype === 'number' ? 'number' : q.datatype === 'datetime' ? 'datetime-local' : 'text'}
    />
  );
}
