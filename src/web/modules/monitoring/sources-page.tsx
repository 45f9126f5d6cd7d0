import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { ApiError } from '../../app/api.ts';
import { hasRole, useMe } from '../../app/session.tsx';
import {
  Badge,
  CheckboxField,
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
import { useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import {
  createSource,
  HEALTH_NAMES,
  monitoringKeys,
  pollSource,
  SOURCE_KIND_NAMES,
  SOURCE_KINDS,
  type Source,
  type SourceInput,
  type SourceKind,
  updateSource,
  useSources,
} from './monitoring.api.ts';
import { Ago, duration, MonitoringTabs, SourceKindMark, TextArea } from './monitoring-bits.tsx';
import { monitoringError, monitoringReason } from './monitoring-ru.ts';

type Light = 'green' | 'amber' | 'red' | 'grey';

/**
 * The health as a light and words (colour alone is not information, WCAG 1.4.1): red — the last poll failed;
 * amber — not polled yet, waiting out a rate limit, or no success for much longer than its interval; green — fine.
 */
export function healthOf(s: Source, now = Date.now()): { light: Light; text: string } {
  const h = s.health;
  if (h.status === 'inactive') return { light: 'grey', text: HEALTH_NAMES.inactive };
  if (h.status === 'error') {
    return h.consecutiveErrors === 0 && h.consecutiveRateLimits > 0
      ? { light: 'amber', text: 'Лимит запросов платформы' }
      : { light: 'red', text: HEALTH_NAMES.error };
  }
  if (h.status === 'backoff') {
    const until = h.backoffUntil ? `пауза до ${formatDateTime(h.backoffUntil)}` : 'пауза';
    return h.consecutiveErrors > 0
      ? { light: 'red', text: `Ошибка, ${until}` }
      : { light: 'amber', text: `Лимит запросов платформы, ${until}` };
  }
  if (h.status === 'never')
    return { light: 'amber', text: s.kind === 'webhook' ? 'Публикаций ещё не присылали' : HEALTH_NAMES.never };
  const stale =
    s.kind !== 'webhook' && h.lastSuccessAt && now - Date.parse(h.lastSuccessAt) > Math.max(3 * s.pollIntervalS, 900) * 1000;
  if (stale) return { light: 'amber', text: 'Давно нет успешного опроса' };
  return { light: 'green', text: HEALTH_NAMES.ok };
}

export function SourcesPage() {
  usePageTitle('Источники мониторинга');
  const sources = useSources();
  const municipalities = useAdminMunicipalities();
  const [editing, setEditing] = useState<Source | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [secretShown, setSecretShown] = useState<{ name: string; secret: string; url: string | null } | null>(null);
  const municipalityName = (id: number | null) =>
    id === null ? 'Весь регион' : (municipalities.data?.find((m) => m.id === id)?.name ?? `муниципалитет № ${id}`);

  return (
    <>
      <div className="page-head">
        <h1>Источники мониторинга</h1>
        {editing === null && (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            Добавить источник
          </button>
        )}
      </div>
      <MonitoringTabs />
      <p className="lead">Откуда берутся публикации: сообщества ВКонтакте, каналы Telegram, ленты новостей, внешние системы.</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {secretShown && (
        <div className="alert alert--warning" role="status">
          <p className="alert__title">Ключ подписи вебхука «{secretShown.name}» — сохраните его сейчас</p>
          <p>Больше он показан не будет. Внешняя система подписывает им каждый запрос (заголовок X-Otklik-Signature).</p>
          <p>
            <code className="mon-code mon-secret">{secretShown.secret}</code>
          </p>
          {secretShown.url && (
            <p>
              Адрес: <code className="mon-code">{secretShown.url}</code>
            </p>
          )}
          <button type="button" className="button button--small button--secondary" onClick={() => setSecretShown(null)}>
            Я сохранил ключ
          </button>
        </div>
      )}

      {editing !== null && (
        <SourceEditor
          key={editing === 'new' ? 'new' : editing.id}
          source={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(s, created) => {
            setEditing(null);
            if (s.generatedSecret) setSecretShown({ name: s.name, secret: s.generatedSecret, url: s.webhookUrl });
            setNotice(created ? `Источник «${s.name}» добавлен.` : `Источник «${s.name}» сохранён.`);
          }}
        />
      )}

      {sources.isPending && <Loading />}
      {sources.isError && <QueryError error={sources.error} onRetry={() => sources.refetch()} />}
      {sources.data && sources.data.length === 0 && (
        <EmptyState icon="chat" title="Источников пока нет">
          <p>Добавьте сообщество ВКонтакте, канал Telegram или ленту новостей.</p>
        </EmptyState>
      )}
      {sources.data && sources.data.length > 0 && (
        <ul className="mon-sources">
          {sources.data.map((s) => (
            <li key={s.id}>
              <SourceCard
                source={s}
                municipality={municipalityName(s.municipalityId)}
                onEdit={() => {
                  setEditing(s);
                  window.scrollTo({ top: 0 });
                }}
                onNotice={setNotice}
              />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function SourceCard({
  source: s,
  municipality,
  onEdit,
  onNotice,
}: {
  source: Source;
  municipality: string;
  onEdit: () => void;
  onNotice: (text: string) => void;
}) {
  const h = s.health;
  const health = healthOf(s);
  const client = useQueryClient();
  const titleId = `source-${s.id}-title`;
  const poll = useMutation({
    mutationFn: () => pollSource(s.id),
    onSuccess: async (r) => {
      await client.invalidateQueries({ queryKey: monitoringKeys.sources });
      const later = Date.parse(r.runAt) - Date.now() > 5000;
      onNotice(
        later
          ? `Опрос «${s.name}» поставлен в очередь: источник на паузе, опрос пройдёт ${formatDateTime(r.runAt)}.`
          : `Опрос «${s.name}» поставлен в очередь и пройдёт в ближайшие секунды.`,
      );
    },
  });
  const toggle = useMutation({
    mutationFn: () => updateSource(s.id, { active: !s.active }),
    onSuccess: async (updated) => {
      await client.invalidateQueries({ queryKey: monitoringKeys.sources });
      onNotice(updated.active ? `Источник «${s.name}» снова опрашивается.` : `Источник «${s.name}» отключён.`);
    },
  });
  const error = poll.error ?? toggle.error;
  const backoff = !!h.backoffUntil && Date.parse(h.backoffUntil) > Date.now();
  return (
    <article className={`card mon-source mon-source--${health.light}`} aria-labelledby={titleId}>
      <header className="mon-source__head">
        <h2 id={titleId} className="mon-source__title">
          <SourceKindMark kind={s.kind} withName={false} />
          {s.name}
        </h2>
        <p className={`mon-health mon-health--${health.light}`}>
          <span className="mon-health__dot" aria-hidden="true" />
          {health.text}
        </p>
      </header>
      <p className="small muted">
        {SOURCE_KIND_NAMES[s.kind]} · {municipality}
        {s.kind !== 'webhook' && ` · опрос каждые ${duration(s.pollIntervalS)}`}
        {' · '}
        {s.canReply ? 'ответы публикуются автоматически' : 'ответы — вручную'}
      </p>
      <dl className="mon-facts mon-facts--grid">
        <Fact label={s.kind === 'webhook' ? 'Последняя доставка' : 'Последний успешный опрос'}>
          {h.lastSuccessAt ? <Ago iso={h.lastSuccessAt} /> : <span className="muted">не было</span>}
        </Fact>
        <Fact label="Задержка">
          {h.lagS === null ? <span className="muted">—</span> : h.lagS === 0 ? 'новых не было' : duration(h.lagS)}
        </Fact>
        <Fact label="Сбои подряд">
          {h.consecutiveErrors + h.consecutiveRateLimits === 0 ? (
            '0'
          ) : (
            <strong className="mon-bad">
              {[
                h.consecutiveErrors > 0
                  ? `${h.consecutiveErrors} ${plural(h.consecutiveErrors, ['ошибка', 'ошибки', 'ошибок'])}`
                  : '',
                h.consecutiveRateLimits > 0 ? `${h.consecutiveRateLimits} — лимит запросов` : '',
              ]
                .filter(Boolean)
                .join(', ')}
            </strong>
          )}
        </Fact>
        {backoff ? (
          <Fact label="Пауза до">{formatDateTime(h.backoffUntil!)}</Fact>
        ) : (
          h.nextPollAt && <Fact label="Следующий опрос">{formatDateTime(h.nextPollAt)}</Fact>
        )}
        <Fact label="Публикаций">
          {formatNumber(h.postsTotal)}
          {h.skippedTotal > 0 && <span className="muted"> · пропущено {formatNumber(h.skippedTotal)}</span>}
        </Fact>
      </dl>
      {h.lastError && (
        <p className="mon-source__error small">
          <strong>Последняя ошибка</strong>
          {h.lastErrorAt && ` (${formatDateTime(h.lastErrorAt)})`}: <span className="mon-code">{h.lastError}</span>
        </p>
      )}
      {h.lastSkipReason && (
        <p className="small muted">
          Последняя пропущенная запись: <span className="mon-code">{h.lastSkipReason}</span>
        </p>
      )}
      {s.webhookUrl && (
        <p className="small">
          Адрес для отправки: <code className="mon-code">{s.webhookUrl}</code>
        </p>
      )}
      {error && (
        <p className="field__error" role="alert">
          {monitoringError(error)}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={onEdit}
          aria-label={`Изменить источник «${s.name}»`}
        >
          Изменить
        </button>
        {s.kind !== 'webhook' && s.active && (
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => poll.mutate()}
            disabled={poll.isPending}
            aria-label={`Опросить сейчас: «${s.name}»`}
          >
            {poll.isPending ? 'Ставим в очередь…' : 'Опросить сейчас'}
          </button>
        )}
        <button
          type="button"
          className={`button button--small ${s.active ? 'button--danger' : 'button--secondary'}`}
          onClick={() => toggle.mutate()}
          disabled={toggle.isPending}
          aria-label={`${s.active ? 'Отключить' : 'Включить'} источник «${s.name}»`}
        >
          {s.active ? 'Отключить' : 'Включить'}
        </button>
      </div>
    </article>
  );
}

const lines = (text: string) =>
  text
    .split(/[\n,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const joinLines = (v: unknown) => (Array.isArray(v) ? v.map(String).join('\n') : '');
/** A number where the line is one, else the text as typed (the server names what is wrong with it). */
const idOrText = (x: string): number | string => (/^-?\d+$/.test(x) ? Number(x) : x);

interface Values {
  kind: SourceKind;
  municipalityId: string;
  name: string;
  pollIntervalS: string;
  active: boolean;
  owners: string;
  searches: string;
  comments: boolean;
  replyAsGroup: boolean;
  apiVersion: string;
  chatIds: string;
  url: string;
  secret: string;
  replySecret: string;
  removeReplySecret: boolean;
}

function valuesOf(s: Source | null, own: number | undefined): Values {
  const c = s?.config ?? {};
  return {
    kind: s?.kind ?? 'vk',
    municipalityId: s ? String(s.municipalityId ?? '') : String(own ?? ''),
    name: s?.name ?? '',
    pollIntervalS: s ? String(s.pollIntervalS) : '',
    active: s?.active ?? true,
    owners: joinLines(c.owners),
    searches: Array.isArray(c.queries) ? c.queries.map(String).join('\n') : '',
    comments: c.comments !== false,
    replyAsGroup: c.replyAsGroup !== false,
    apiVersion: typeof c.apiVersion === 'string' ? c.apiVersion : '5.199',
    chatIds: joinLines(c.chatIds),
    url: typeof c.url === 'string' ? c.url : '',
    secret: '',
    replySecret: '',
    removeReplySecret: false,
  };
}

/** The connector's settings from the form, on top of the ones it has (defaults the form does not show are kept). */
function configOf(v: Values, base: Record<string, unknown>): Record<string, unknown> {
  switch (v.kind) {
    case 'vk':
      return {
        ...base,
        owners: lines(v.owners).map(idOrText),
        queries: v.searches
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean),
        comments: v.comments,
        replyAsGroup: v.replyAsGroup,
        apiVersion: v.apiVersion.trim() || '5.199',
      };
    case 'telegram':
      return { ...base, chatIds: lines(v.chatIds).map(idOrText) };
    case 'rss':
      return { ...base, url: v.url.trim() };
    default:
      return base;
  }
}

const SECRET_LABELS: Record<SourceKind, string> = {
  vk: 'Сервисный ключ доступа приложения ВКонтакте',
  telegram: 'Токен бота Telegram',
  rss: '',
  webhook: 'Ключ подписи (HMAC)',
};

/** A write-only secret: whether it is set, and a field to set or replace it. Its value never comes back. */
function SecretField({
  id,
  label,
  isSet,
  value,
  onValue,
  error,
  hint,
  creating,
  optional,
}: {
  id: string;
  label: string;
  isSet: boolean;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  creating: boolean;
  optional?: boolean;
}) {
  return (
    <div className="mon-secret-field">
      {!creating && (
        <p className="mon-secret-field__state">
          {label}: {isSet ? <Badge kind="success">задан</Badge> : <Badge kind="warning">не задан</Badge>}
        </p>
      )}
      <TextField
        id={id}
        label={creating ? label : isSet ? `Заменить: новый ${label.charAt(0).toLowerCase()}${label.slice(1)}` : label}
        type="password"
        autoComplete="new-password"
        value={value}
        onValue={onValue}
        error={error}
        hint={hint ?? (creating ? undefined : 'Оставьте пустым, чтобы не менять. Сохранённое значение не показывается.')}
        optional={optional ?? !creating}
        spellCheck={false}
      />
    </div>
  );
}

function SourceEditor({
  source,
  onCancel,
  onSaved,
}: {
  source: Source | null;
  onCancel: () => void;
  onSaved: (s: Source, created: boolean) => void;
}) {
  const uid = useId().replace(/:/g, '');
  const { me } = useMe();
  const regionalAdmin = hasRole(me, ['regional_admin']);
  const municipalities = useAdminMunicipalities();
  const own = me?.roles.find((g) => g.role === 'municipal_admin' && g.municipalityId !== null)?.municipalityId ?? undefined;
  const [v, setV] = useState<Values>(() => valuesOf(source, own));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const client = useQueryClient();
  const set =
    <K extends keyof Values>(k: K) =>
    (value: Values[K]) =>
      setV((s) => ({ ...s, [k]: value }));
  const creating = source === null;

  useEffect(() => {
    document.getElementById(`${uid}-${creating ? 'kind' : 'name'}`)?.focus();
  }, [uid, creating]);

  const save = useMutation({
    mutationFn: () => {
      const config = configOf(v, source?.config ?? {});
      const interval = v.pollIntervalS.trim() ? Number(v.pollIntervalS) : undefined;
      const body: SourceInput = {
        name: v.name.trim(),
        ...(v.kind !== 'webhook' && { config }),
        ...(interval !== undefined && { pollIntervalS: interval }),
        ...(v.secret && { secret: v.secret }),
        ...(v.kind === 'vk' && v.replySecret && { replySecret: v.replySecret }),
        ...(v.kind === 'vk' && !creating && v.removeReplySecret && !v.replySecret && { replySecret: null }),
      };
      if (creating) {
        return createSource({
          ...body,
          kind: v.kind,
          municipalityId: v.municipalityId ? Number(v.municipalityId) : null,
          active: v.active,
          ...(v.kind === 'webhook' && { config: {} }),
        });
      }
      return updateSource(source.id, { ...body, active: v.active });
    },
    onMutate: () => {
      setErrors({});
      setFormError(null);
    },
    onSuccess: async (s) => {
      await client.invalidateQueries({ queryKey: monitoringKeys.sources });
      onSaved(s, creating);
    },
    onError: (error) => {
      const fields: Record<string, string> = {};
      if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
        for (const d of error.details) {
          const parts = d.field.split('.');
          let f = parts[0] === 'config' ? (parts[1] ?? 'config') : (parts[0] ?? d.field);
          if (f === 'queries') f = 'searches';
          if (!fields[f]) fields[f] = monitoringReason(d.reason);
        }
      }
      const known = Object.keys(fields).filter((f) => document.getElementById(`${uid}-${f}`));
      const shown = Object.fromEntries(known.map((f) => [f, fields[f]!]));
      setErrors(shown);
      const rest = Object.keys(fields).filter((f) => !known.includes(f));
      setFormError(known.length && !rest.length ? null : monitoringError(error));
      if (known[0]) document.getElementById(`${uid}-${known[0]}`)?.focus();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!v.name.trim()) missing.name = 'Назовите источник.';
    if (v.kind === 'rss' && !v.url.trim()) missing.url = 'Укажите адрес ленты.';
    if (creating && (v.kind === 'vk' || v.kind === 'telegram') && !v.secret) {
      missing.secret = v.kind === 'vk' ? 'Укажите сервисный ключ доступа.' : 'Укажите токен бота.';
    }
    if (creating && !regionalAdmin && !v.municipalityId) missing.municipalityId = 'Выберите муниципалитет.';
    if (Object.keys(missing).length) {
      setErrors(missing);
      document.getElementById(`${uid}-${Object.keys(missing)[0]}`)?.focus();
      return;
    }
    save.mutate();
  };

  return (
    <section className="card mon-editor" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} className="card__title">
        {creating ? 'Новый источник' : `Источник «${source.name}»`}
      </h2>
      {formError && (
        <div className="alert alert--error" role="alert">
          <p>{formError}</p>
        </div>
      )}
      <form onSubmit={submit} noValidate className="form form--grid">
        {creating ? (
          <>
            <SelectField id={`${uid}-kind`} label="Платформа" value={v.kind} onValue={(x) => set('kind')(x as SourceKind)}>
              {SOURCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {SOURCE_KIND_NAMES[k]}
                </option>
              ))}
            </SelectField>
            <SelectField
              id={`${uid}-municipalityId`}
              label="Муниципалитет"
              value={v.municipalityId}
              onValue={set('municipalityId')}
              error={errors.municipalityId}
            >
              {regionalAdmin ? <option value="">Весь регион</option> : <option value="">Выберите…</option>}
              {municipalities.data?.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </SelectField>
          </>
        ) : (
          <p className="form__wide small muted">
            <SourceKindMark kind={source.kind} />
          </p>
        )}
        <TextField id={`${uid}-name`} label="Название" value={v.name} onValue={set('name')} error={errors.name} maxLength={200} />
        {v.kind !== 'webhook' && (
          <TextField
            id={`${uid}-pollIntervalS`}
            label="Интервал опроса, секунд"
            inputMode="numeric"
            value={v.pollIntervalS}
            onValue={set('pollIntervalS')}
            error={errors.pollIntervalS}
            optional
            hint={
              creating ? 'От 30 до 86 400; по умолчанию — 60 для ВКонтакте, 30 для Telegram, 300 для лент.' : 'От 30 до 86 400.'
            }
          />
        )}

        {v.kind === 'vk' && (
          <>
            <TextArea
              id={`${uid}-owners`}
              label="Стены сообществ"
              value={v.owners}
              onValue={set('owners')}
              error={errors.owners}
              optional
              rows={3}
              mono
              hint="По одному id в строке; у сообщества id отрицательный: −12345 для vk.com/club12345."
            />
            <TextArea
              id={`${uid}-searches`}
              label="Поиск по всем записям (newsfeed.search)"
              value={v.searches}
              onValue={set('searches')}
              error={errors.searches}
              optional
              rows={3}
              hint="По одному запросу в строке, например: Кемерово яма."
            />
            <TextField
              id={`${uid}-apiVersion`}
              label="Версия API"
              value={v.apiVersion}
              onValue={set('apiVersion')}
              error={errors.apiVersion}
              hint="Закреплена, чтобы ответы API не менялись без нашего ведома."
            />
            <div className="mon-editor__checks">
              <CheckboxField
                id={`${uid}-comments`}
                label="Собирать комментарии к записям"
                checked={v.comments}
                onChecked={set('comments')}
              />
              <CheckboxField
                id={`${uid}-replyAsGroup`}
                label="Отвечать от имени сообщества"
                checked={v.replyAsGroup}
                onChecked={set('replyAsGroup')}
              />
            </div>
          </>
        )}
        {v.kind === 'telegram' && (
          <TextArea
            id={`${uid}-chatIds`}
            label="Чаты и каналы"
            value={v.chatIds}
            onValue={set('chatIds')}
            error={errors.chatIds}
            optional
            rows={3}
            mono
            className="form__wide"
            hint="По одному в строке: id чата (−1001234567890) или @имя канала. Бот должен быть добавлен в чат; пусто — все чаты бота."
          />
        )}
        {v.kind === 'rss' && (
          <TextField
            id={`${uid}-url`}
            label="Адрес ленты RSS или Atom"
            type="url"
            value={v.url}
            onValue={set('url')}
            error={errors.url}
            fieldClassName="form__wide"
          />
        )}

        {v.kind !== 'rss' && (
          <SecretField
            id={`${uid}-secret`}
            label={SECRET_LABELS[v.kind]}
            isSet={source?.secretSet ?? false}
            value={v.secret}
            onValue={set('secret')}
            error={errors.secret}
            creating={creating}
            optional={v.kind === 'webhook' || !creating}
            {...(creating &&
              v.kind === 'webhook' && { hint: 'Оставьте пустым — ключ будет создан и показан один раз после сохранения.' })}
          />
        )}
        {v.kind === 'vk' && (
          <div>
            <SecretField
              id={`${uid}-replySecret`}
              label="Ключ сообщества для ответов"
              isSet={source?.replySecretSet ?? false}
              value={v.replySecret}
              onValue={set('replySecret')}
              error={errors.replySecret}
              creating={creating}
              optional
              hint="С правом публиковать комментарии (wall.createComment). Без него ответы публикуются вручную."
            />
            {!creating && source.replySecretSet && (
              <CheckboxField
                id={`${uid}-removeReplySecret`}
                label="Удалить ключ для ответов"
                checked={v.removeReplySecret}
                onChecked={set('removeReplySecret')}
              />
            )}
          </div>
        )}
        {!creating && source.webhookUrl && (
          <p className="form__wide small">
            Адрес для отправки: <code className="mon-code">{source.webhookUrl}</code>
          </p>
        )}
        <div className="form__wide">
          <CheckboxField
            id={`${uid}-active`}
            label="Включён: опрашивать и принимать публикации"
            checked={v.active}
            onChecked={set('active')}
          />
        </div>
        <div className="actions form__wide">
          <button type="submit" className="button" disabled={save.isPending}>
            {save.isPending ? 'Сохраняем…' : 'Сохранить'}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Отмена
          </button>
        </div>
      </form>
    </section>
  );
}
