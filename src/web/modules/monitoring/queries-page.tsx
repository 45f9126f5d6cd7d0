import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../app/api.ts';
import { hasRole, useMe } from '../../app/session.tsx';
import {
  Badge,
  CheckboxField,
  EmptyState,
  Loading,
  Notice,
  plural,
  QueryError,
  SelectField,
  TextField,
  usePageTitle,
} from '../../app/ui.tsx';
import { useCategories } from '../cases-staff/cases-staff.api.ts';
import { useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import {
  createQuery,
  type MonitoringQuery,
  monitoringKeys,
  type QueryInput,
  querySyntaxError,
  type TestResult,
  testQuery,
  updateQuery,
  useMonitoringQueries,
} from './monitoring.api.ts';
import { Ago, MarkedText, MonitoringTabs, SourceKindMark, termMarks } from './monitoring-bits.tsx';
import { monitoringError, monitoringReason } from './monitoring-ru.ts';

const MONITORING_ROLES = ['moderator', 'head', 'municipal_admin', 'regional_admin'] as const;

/** May the reader change this query (the server's canModerate: regional ones are the region administrators'). */
function useCanEdit() {
  const { me } = useMe();
  const regional = hasRole(me, ['regional_admin']);
  return (municipalityId: number | null) =>
    regional ||
    (municipalityId !== null &&
      !!me?.roles.some((g) => (MONITORING_ROLES as readonly string[]).includes(g.role) && g.municipalityId === municipalityId));
}

export function QueriesPage() {
  usePageTitle('Запросы мониторинга');
  const queries = useMonitoringQueries();
  const municipalities = useAdminMunicipalities();
  const canEdit = useCanEdit();
  const [editing, setEditing] = useState<MonitoringQuery | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: (q: MonitoringQuery) => updateQuery(q.id, { active: !q.active }),
    onSuccess: async (q) => {
      await client.invalidateQueries({ queryKey: monitoringKeys.queries });
      setNotice(q.active ? `Запрос «${q.name}» снова действует.` : `Запрос «${q.name}» отключён: новые публикации он не ищет.`);
    },
  });
  const municipalityName = (id: number | null) =>
    id === null ? 'Весь регион' : (municipalities.data?.find((m) => m.id === id)?.name ?? `муниципалитет № ${id}`);

  return (
    <>
      <div className="page-head">
        <h1>Запросы мониторинга</h1>
        {editing === null && (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            Новый запрос
          </button>
        )}
      </div>
      <MonitoringTabs />
      <p className="lead">По запросам ищутся публикации в источниках. Найденное попадает в ленту с предложенной категорией.</p>
      <Notice text={notice} onClose={() => setNotice(null)} />

      {editing !== null && (
        <QueryEditor
          key={editing === 'new' ? 'new' : editing.id}
          query={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(q, created) => {
            setEditing(null);
            setNotice(created ? `Запрос «${q.name}» добавлен.` : `Запрос «${q.name}» сохранён.`);
          }}
        />
      )}

      {queries.isPending && <Loading />}
      {queries.isError && <QueryError error={queries.error} onRetry={() => queries.refetch()} />}
      {toggle.isError && (
        <p className="field__error" role="alert">
          {monitoringError(toggle.error)}
        </p>
      )}
      {queries.data && queries.data.length === 0 && editing === null && (
        <EmptyState icon="chat" title="Запросов пока нет">
          <p>Добавьте первый запрос — например, «яма OR выбоина» для жалоб на дороги.</p>
        </EmptyState>
      )}
      {queries.data && queries.data.length > 0 && (
        <div className="table-scroll">
          <table className="table mon-queries">
            <caption className="visually-hidden">Запросы мониторинга</caption>
            <thead>
              <tr>
                <th scope="col">Название</th>
                <th scope="col">Запрос</th>
                <th scope="col">Муниципалитет</th>
                <th scope="col">Категория</th>
                <th scope="col">Состояние</th>
                <th scope="col">
                  <span className="visually-hidden">Действия</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {queries.data.map((q) => (
                <tr key={q.id} className={q.active ? '' : 'table__row--muted'}>
                  <th scope="row" data-label="Название">
                    {q.name}
                  </th>
                  <td data-label="Запрос">
                    <code className="mon-code">{q.text}</code>
                  </td>
                  <td data-label="Муниципалитет">{municipalityName(q.municipalityId)}</td>
                  <td data-label="Категория">{q.defaultCategoryName ?? <span className="muted">не задана</span>}</td>
                  <td data-label="Состояние">
                    <Badge kind={q.active ? 'success' : 'neutral'}>{q.active ? 'Действует' : 'Отключён'}</Badge>
                  </td>
                  <td className="table__actions">
                    {canEdit(q.municipalityId) && (
                      <>
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          onClick={() => {
                            setEditing(q);
                            window.scrollTo({ top: 0 });
                          }}
                          aria-label={`Изменить запрос «${q.name}»`}
                        >
                          Изменить
                        </button>
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          onClick={() => toggle.mutate(q)}
                          disabled={toggle.isPending}
                          aria-label={`${q.active ? 'Отключить' : 'Включить'} запрос «${q.name}»`}
                        >
                          {q.active ? 'Отключить' : 'Включить'}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The language in brief, with examples (the server's query/README.md is the full version). */
function SyntaxHelp() {
  const rows: Array<[string, string]> = [
    ['яма', 'слово в любой форме: яма, ямы, ямой, ям'],
    ['"нет воды"', 'точная фраза — слова подряд, в любой форме'],
    ['яма выбоина', 'оба слова (то же, что яма AND выбоина)'],
    ['яма OR выбоина', 'любое из слов (можно ИЛИ)'],
    ['мусор NOT вывезли', 'первое без второго (можно НЕ)'],
    ['(яма OR выбоина) дорога', 'скобки группируют условия'],
    ['свет NEAR/3 подъезд', 'слова не дальше 3 слов друг от друга'],
    ['отоплен*', 'начало слова: отопление, отопления, отопительный'],
  ];
  return (
    <aside className="mon-help" aria-labelledby="mon-help-title">
      <h3 id="mon-help-title" className="mon-help__title">
        Как писать запрос
      </h3>
      <dl className="mon-help__list">
        {rows.map(([example, meaning]) => (
          <div key={example}>
            <dt>
              <code className="mon-code">{example}</code>
            </dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
      <p className="small muted">
        Операторы пишутся заглавными: AND, OR, NOT или И, ИЛИ, НЕ. Строчные «и», «или», «не» — это ошибка; чтобы искать такое
        слово, возьмите его в кавычки. Сначала применяется NEAR, затем NOT, AND и OR.
      </p>
    </aside>
  );
}

/**
 * Where the query broke: the line of the query in a monospace copy, the character marked and a caret under it
 * (a long line is shown around the place), then the reason in words.
 */
export function SyntaxErrorView({ id, text, position, reason }: { id: string; text: string; position: number; reason: string }) {
  const pos = Math.max(0, Math.min(text.length, position));
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const lineEnd = text.indexOf('\n', pos) === -1 ? text.length : text.indexOf('\n', pos);
  const line = text.slice(lineStart, lineEnd);
  const col = pos - lineStart;
  const WINDOW = 60;
  const from = line.length > WINDOW ? Math.max(0, Math.min(col - WINDOW / 2, line.length - WINDOW)) : 0;
  const to = Math.min(line.length, from + WINDOW);
  const lead = from > 0 ? '…' : '';
  const trail = to < line.length ? '…' : '';
  const shown = line.slice(from, to);
  const at = col - from;
  const ch = shown[at];
  return (
    <div id={id} className="mon-syntax" role="alert">
      <p className="field__error">
        <span className="visually-hidden">Ошибка: </span>
        {/позици/i.test(reason) ? reason : `Позиция ${pos + 1}: ${reason}`}
      </p>
      <pre className="mon-caret" aria-hidden="true">
        {lead}
        {shown.slice(0, at)}
        <mark className="mon-caret__at">{ch ?? ' '}</mark>
        {shown.slice(at + 1)}
        {trail}
        {'\n'}
        {' '.repeat(lead.length + at)}^
      </pre>
    </div>
  );
}

interface Values {
  municipalityId: string;
  name: string;
  text: string;
  categoryId: string;
  active: boolean;
}

function QueryEditor({
  query,
  onCancel,
  onSaved,
}: {
  query: MonitoringQuery | null;
  onCancel: () => void;
  onSaved: (q: MonitoringQuery, created: boolean) => void;
}) {
  const uid = useId().replace(/:/g, '');
  const { me } = useMe();
  const regionalAdmin = hasRole(me, ['regional_admin']);
  const municipalities = useAdminMunicipalities();
  const own = me?.roles.find(
    (g) => (MONITORING_ROLES as readonly string[]).includes(g.role) && g.municipalityId !== null,
  )?.municipalityId;
  const [v, setV] = useState<Values>({
    municipalityId: query ? String(query.municipalityId ?? '') : String(own ?? ''),
    name: query?.name ?? '',
    text: query?.text ?? '',
    categoryId: query?.defaultCategoryId ? String(query.defaultCategoryId) : '',
    active: query?.active ?? true,
  });
  const owner = v.municipalityId ? Number(v.municipalityId) : null;
  const categories = useCategories(owner);
  const [syntax, setSyntax] = useState<{ position: number; reason: string; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [tested, setTested] = useState<TestResult | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const client = useQueryClient();
  const set =
    <K extends keyof Values>(k: K) =>
    (value: Values[K]) =>
      setV((s) => ({ ...s, [k]: value }));

  useEffect(() => {
    document.getElementById(`${uid}-name`)?.focus();
  }, [uid]);

  /** A refusal: the syntax error at its place in the text, a field's reason at the field, else one message. */
  const refused = (error: unknown) => {
    const s = querySyntaxError(error);
    if (s) {
      setSyntax({ ...s, text: v.text });
      setFormError(null);
      const el = textRef.current;
      if (el) {
        el.focus();
        el.setSelectionRange(s.position, Math.min(v.text.length, s.position + 1));
      }
      return;
    }
    const fields: Record<string, string> = {};
    if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
      for (const d of error.details) {
        const f = d.field.split('.')[0] ?? d.field;
        if (['name', 'text', 'defaultCategoryId', 'municipalityId'].includes(f) && !fields[f])
          fields[f] = monitoringReason(d.reason);
      }
    }
    setFieldErrors(fields);
    setFormError(Object.keys(fields).length ? null : monitoringError(error));
  };

  const test = useMutation({
    mutationFn: () => testQuery({ text: v.text, ...(owner !== null && { municipalityId: owner }) }),
    onMutate: () => {
      setSyntax(null);
      setFormError(null);
      setTested(null);
    },
    onSuccess: setTested,
    onError: refused,
  });

  const save = useMutation({
    mutationFn: () => {
      const body: QueryInput = {
        name: v.name.trim(),
        text: v.text,
        defaultCategoryId: v.categoryId ? Number(v.categoryId) : null,
        active: v.active,
      };
      return query ? updateQuery(query.id, body) : createQuery({ ...body, municipalityId: owner });
    },
    onMutate: () => {
      setSyntax(null);
      setFormError(null);
      setFieldErrors({});
    },
    onSuccess: async (q) => {
      await client.invalidateQueries({ queryKey: monitoringKeys.queries });
      onSaved(q, !query);
    },
    onError: refused,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!v.name.trim()) missing.name = 'Дайте запросу название.';
    if (!v.text.trim()) missing.text = 'Напишите запрос.';
    if (!query && !regionalAdmin && owner === null) missing.municipalityId = 'Выберите муниципалитет.';
    if (Object.keys(missing).length) {
      setFieldErrors(missing);
      document.getElementById(`${uid}-${Object.keys(missing)[0]}`)?.focus();
      return;
    }
    save.mutate();
  };

  const syntaxShown = syntax && syntax.text === v.text ? syntax : null;
  const textDescribed = [`${uid}-text-hint`, syntaxShown || fieldErrors.text ? `${uid}-text-error` : '']
    .filter(Boolean)
    .join(' ');
  const activeCategories = (categories.data ?? []).filter((c) => c.isActive);

  return (
    <section className="card mon-editor" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} className="card__title">
        {query ? `Запрос «${query.name}»` : 'Новый запрос'}
      </h2>
      {formError && (
        <div className="alert alert--error" role="alert">
          <p>{formError}</p>
        </div>
      )}
      <div className="mon-editor__layout">
        <form onSubmit={submit} noValidate className="mon-editor__form">
          {query ? (
            <p className="small muted">
              Муниципалитет:{' '}
              {query.municipalityId === null
                ? 'весь регион'
                : (municipalities.data?.find((m) => m.id === query.municipalityId)?.name ?? `№ ${query.municipalityId}`)}
            </p>
          ) : (
            <SelectField
              id={`${uid}-municipalityId`}
              label="Муниципалитет"
              value={v.municipalityId}
              onValue={(x) => setV((s) => ({ ...s, municipalityId: x, categoryId: '' }))}
              error={fieldErrors.municipalityId}
              hint="Найденные публикации без места попадут в очередь этого муниципалитета."
            >
              {regionalAdmin ? <option value="">Весь регион (региональный запрос)</option> : <option value="">Выберите…</option>}
              {municipalities.data?.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            id={`${uid}-name`}
            label="Название"
            value={v.name}
            onValue={set('name')}
            error={fieldErrors.name}
            maxLength={200}
          />
          <div className={`field${syntaxShown || fieldErrors.text ? ' field--error' : ''}`}>
            <label htmlFor={`${uid}-text`} className="field__label">
              Запрос
            </label>
            <p id={`${uid}-text-hint`} className="field__hint">
              Слова, «фразы» в кавычках, AND / OR / NOT, скобки, NEAR/n, начало слова со звёздочкой.
            </p>
            <textarea
              id={`${uid}-text`}
              ref={textRef}
              className="input textarea mon-mono mon-editor__text"
              rows={3}
              value={v.text}
              onChange={(e) => set('text')(e.target.value)}
              aria-invalid={syntaxShown || fieldErrors.text ? true : undefined}
              aria-describedby={textDescribed}
              spellCheck={false}
              maxLength={2000}
            />
            {syntaxShown && (
              <SyntaxErrorView
                id={`${uid}-text-error`}
                text={syntaxShown.text}
                position={syntaxShown.position}
                reason={syntaxShown.reason}
              />
            )}
            {!syntaxShown && fieldErrors.text && (
              <p id={`${uid}-text-error`} className="field__error mon-after">
                {fieldErrors.text}
              </p>
            )}
          </div>
          <SelectField
            id={`${uid}-defaultCategoryId`}
            label="Категория по умолчанию"
            value={v.categoryId}
            onValue={set('categoryId')}
            error={fieldErrors.defaultCategoryId}
            optional
            disabled={owner === null}
            hint={
              owner === null
                ? 'У регионального запроса категории нет: её выбирают при приёме публикации.'
                : 'Её предложат модератору для найденных публикаций.'
            }
          >
            <option value="">Не задана</option>
            {activeCategories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <CheckboxField
            id={`${uid}-active`}
            label="Действует: искать новые публикации"
            checked={v.active}
            onChecked={set('active')}
          />
          <div className="actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                if (!v.text.trim()) {
                  setFieldErrors({ text: 'Напишите запрос.' });
                  textRef.current?.focus();
                  return;
                }
                setFieldErrors({});
                test.mutate();
              }}
              disabled={test.isPending}
            >
              {test.isPending ? 'Проверяем…' : 'Проверить на последних публикациях'}
            </button>
            <button type="submit" className="button" disabled={save.isPending}>
              {save.isPending ? 'Сохраняем…' : 'Сохранить'}
            </button>
            <button type="button" className="button button--secondary" onClick={onCancel}>
              Отмена
            </button>
          </div>
        </form>
        <SyntaxHelp />
      </div>
      {tested && <TestResults result={tested} />}
    </section>
  );
}

function TestResults({ result }: { result: TestResult }) {
  return (
    <section className="mon-test" aria-labelledby="mon-test-title" aria-live="polite">
      <h3 id="mon-test-title" className="mon-test__title">
        Проверка: совпало {result.matched} из {result.tested}{' '}
        {plural(result.tested, ['последней публикации', 'последних публикаций', 'последних публикаций'])}
      </h3>
      <p className="small">
        Запрос понят так: <code className="mon-code">{result.explained}</code>
      </p>
      {result.items.length === 0 ? (
        <p className="muted">Среди последних публикаций совпадений нет.</p>
      ) : (
        <ol className="mon-test__list">
          {result.items.map((m) => (
            <li key={m.postId} className="mon-test__item">
              <p className="mon-post__meta">
                <SourceKindMark kind={m.source.kind} withName={false} />
                <span className="mon-post__source">{m.source.name}</span>
                {m.authorHandle && <span className="mon-post__handle">@{m.authorHandle.replace(/^@/, '')}</span>}
                <Ago iso={m.publishedAt} />
                {m.url && (
                  <a href={m.url} target="_blank" rel="noopener noreferrer">
                    оригинал<span className="visually-hidden"> (в новой вкладке)</span>
                  </a>
                )}
              </p>
              <MarkedText text={m.text} marks={termMarks(m.highlights)} limit={600} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
