import { type InfiniteData, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  type FormEvent,
  type KeyboardEvent as ReactKeyboardEvent,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ErrorCode } from '../../../shared/errors.ts';
import { ApiError } from '../../app/api.ts';
import { useMe } from '../../app/session.tsx';
import {
  Badge,
  CheckboxField,
  EmptyState,
  FilterActions,
  formatDateTime,
  Loading,
  plural,
  QueryError,
  SelectField,
  TextField,
  usePageTitle,
} from '../../app/ui.tsx';
import { useCategories } from '../cases-staff/cases-staff.api.ts';
import { useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import {
  acceptPost,
  type BulkResult,
  bulkModerate,
  confirmReply,
  dismissPost,
  POST_STATUS_NAMES,
  type PostStatus,
  REPLY_STATUS_NAMES,
  replyToPost,
  SOURCE_KIND_NAMES,
  type StreamFilter,
  type StreamItem,
  type StreamPage,
  updatePosts,
  useStream,
} from './monitoring.api.ts';
import { Ago, type Mark, MarkedText, MonitoringTabs, SourceKindMark, TextArea, termMarks } from './monitoring-bits.tsx';
import { monitoringError } from './monitoring-ru.ts';

type Panel = 'accept' | 'dismiss' | 'reply';

/** The keyboard shortcuts, documented on the page and in the «?» dialog. Physical keys: they work in any layout. */
const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ['j', 'следующая публикация'],
  ['k', 'предыдущая публикация'],
  ['a', 'принять: создать инцидент'],
  ['d', 'отклонить как шум'],
  ['r', 'ответить автору'],
  ['x', 'выбрать для массового действия'],
  ['?', 'показать или скрыть список клавиш'],
  ['Esc', 'закрыть открытую форму'],
];

const KEY_CODES: Record<string, string> = { KeyJ: 'j', KeyK: 'k', KeyA: 'a', KeyD: 'd', KeyR: 'r', KeyX: 'x' };

/** Typing in a field: a letter there is text, never a command. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return false;
}

const DISMISS_REASONS = [
  'Не по теме: к администрации не относится',
  'Реклама или спам',
  'Новость или официальное сообщение, а не жалоба',
  'Уже принято по другой публикации',
  'Другое',
] as const;

const STATUS_CHOICES: ReadonlyArray<[string, string]> = [
  ['matched', 'Ждут решения'],
  ['accepted', 'Принятые'],
  ['dismissed', 'Отклонённые'],
  ['all', 'Все'],
];

interface Draft {
  status: string;
  queue: string;
  q: string;
}

function draftOf(p: URLSearchParams): Draft {
  return { status: p.get('status') ?? 'matched', queue: p.get('queue') ?? '', q: p.get('q') ?? '' };
}

function paramsOf(d: Draft): URLSearchParams {
  const p = new URLSearchParams();
  if (d.status && d.status !== 'matched') p.set('status', d.status);
  if (d.queue) p.set('queue', d.queue);
  if (d.q.trim()) p.set('q', d.q.trim());
  return p;
}

function filterOf(d: Draft): StreamFilter {
  const f: StreamFilter = {};
  if (d.status && d.status !== 'matched') f.status = d.status as PostStatus | 'all';
  if (d.queue === 'regional') f.regional = true;
  else if (/^\d+$/.test(d.queue)) f.municipalityId = Number(d.queue);
  if (d.q.trim()) f.q = d.q.trim();
  return f;
}

const decided = (p: StreamItem) => p.status === 'accepted' || p.status === 'dismissed';
const authorOf = (p: StreamItem) => p.authorName ?? (p.authorHandle ? `@${p.authorHandle.replace(/^@/, '')}` : 'автор не указан');

/** Updates one post wherever the stream's pages hold it. */
function usePutPost() {
  const client = useQueryClient();
  return useCallback(
    (post: StreamItem) =>
      client.setQueriesData({ queryKey: ['monitoring', 'stream'] }, (d) =>
        updatePosts(d as InfiniteData<StreamPage, string | null> | undefined, (p) => (p.id === post.id ? { ...p, ...post } : p)),
      ),
    [client],
  );
}

export function ModerationPage() {
  usePageTitle('Мониторинг соцсетей');
  const [params, setParams] = useSearchParams();
  const paramsKey = params.toString();
  const applied = draftOf(params);
  const [draft, setDraft] = useState<Draft>(applied);
  useEffect(() => setDraft(draftOf(new URLSearchParams(paramsKey))), [paramsKey]);
  const filter = useMemo(() => filterOf(draftOf(new URLSearchParams(paramsKey))), [paramsKey]);
  const stream = useStream(filter);
  const posts = useMemo(() => stream.data?.pages.flatMap((p) => p.items) ?? [], [stream.data]);
  const municipalities = useAdminMunicipalities();

  const [current, setCurrent] = useState<number | null>(null);
  const [panel, setPanel] = useState<{ id: number; kind: Panel } | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [announce, setAnnounce] = useState('');
  const articles = useRef(new Map<number, HTMLElement>());
  const keysDialog = useRef<HTMLDialogElement>(null);

  const focusPost = useCallback((id: number) => {
    setCurrent(id);
    const el = articles.current.get(id);
    if (el) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: 'nearest' });
    }
  }, []);

  const closePanel = useCallback(
    (id: number) => {
      setPanel(null);
      // Back to the post, so j/k go on from here.
      requestAnimationFrame(() => focusPost(id));
    },
    [focusPost],
  );

  const toggleSelected = useCallback((id: number) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const openPanel = useCallback((post: StreamItem, kind: Panel) => {
    if (kind !== 'reply' && decided(post)) {
      setAnnounce(`Публикация уже ${post.status === 'accepted' ? 'принята' : 'отклонена'}.`);
      return;
    }
    setCurrent(post.id);
    setPanel({ id: post.id, kind });
  }, []);

  // The shortcuts: read the latest state through a ref, bind once.
  const state = useRef({ posts, current, panel });
  state.current = { posts, current, panel };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTyping(e.target)) return;
      const dialogOpen = keysDialog.current?.open ?? false;
      if (e.key === '?' || (e.code === 'Slash' && e.shiftKey)) {
        e.preventDefault();
        if (dialogOpen) keysDialog.current?.close();
        else keysDialog.current?.showModal();
        return;
      }
      if (dialogOpen) return;
      const key = KEY_CODES[e.code] ?? e.key.toLowerCase();
      const { posts: list, current: cur } = state.current;
      if (list.length === 0) return;
      const index = list.findIndex((p) => p.id === cur);
      const post = index >= 0 ? list[index]! : undefined;
      switch (key) {
        case 'j':
          e.preventDefault();
          focusPost(list[Math.min(list.length - 1, index + 1)]!.id);
          break;
        case 'k':
          e.preventDefault();
          focusPost(list[Math.max(0, index - 1)]!.id);
          break;
        case 'a':
        case 'd':
        case 'r':
          if (!post) return;
          e.preventDefault();
          openPanel(post, key === 'a' ? 'accept' : key === 'd' ? 'dismiss' : 'reply');
          break;
        case 'x':
          if (!post) return;
          e.preventDefault();
          toggleSelected(post.id);
          break;
        default:
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [focusPost, openPanel, toggleSelected]);

  // A new filter is a new list: the selection and the open form belong to the old one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a change of the address only
  useEffect(() => {
    setSelected(new Set());
    setPanel(null);
    setCurrent(null);
  }, [paramsKey]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setParams(paramsOf(draft));
  };
  const reset = () => {
    const empty = { status: 'matched', queue: '', q: '' };
    setDraft(empty);
    setParams(paramsOf(empty));
  };

  const selectable = posts.filter((p) => !decided(p));
  const allSelected = selectable.length > 0 && selectable.every((p) => selected.has(p.id));

  return (
    <>
      <div className="page-head">
        <h1>Мониторинг соцсетей</h1>
        <button type="button" className="button button--secondary button--small" onClick={() => keysDialog.current?.showModal()}>
          Клавиши <kbd className="mon-kbd">?</kbd>
        </button>
      </div>
      <MonitoringTabs />
      <p className="lead">
        Публикации, найденные запросами: примите жалобу как инцидент, отклоните шум или ответьте автору. Похожие публикации
        собраны в одну.
      </p>
      {/* One live region, there from the start, so every result is read out; shown once it has something. */}
      <div role="status" aria-live="polite" className={announce ? 'alert alert--success mon-announce' : 'visually-hidden'}>
        <p>{announce}</p>
      </div>

      <section className="card filters" aria-labelledby="mon-filters-title">
        <h2 id="mon-filters-title" className="card__title">
          Отбор
        </h2>
        <form onSubmit={apply} noValidate className="form form--filters">
          <SelectField
            id="mon-status"
            label="Состояние"
            value={draft.status}
            onValue={(v) => setDraft((d) => ({ ...d, status: v }))}
          >
            {STATUS_CHOICES.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </SelectField>
          <SelectField id="mon-queue" label="Очередь" value={draft.queue} onValue={(v) => setDraft((d) => ({ ...d, queue: v }))}>
            <option value="">Все доступные</option>
            {municipalities.data?.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
            <option value="regional">Региональная: место не определено</option>
          </SelectField>
          <TextField
            id="mon-q"
            label="Слова в тексте или автор"
            type="search"
            value={draft.q}
            onValue={(v) => setDraft((d) => ({ ...d, q: v }))}
            optional
          />
          <FilterActions onReset={reset} />
        </form>
      </section>

      <details className="mon-keys">
        <summary>Работа с клавиатуры</summary>
        <KeyList />
        <p className="small muted">Клавиши не действуют, пока курсор в поле ввода. Раскладка не важна.</p>
      </details>

      <dialog ref={keysDialog} className="mon-dialog" aria-labelledby="mon-keys-title">
        <h2 id="mon-keys-title" className="card__title">
          Клавиши быстрого доступа
        </h2>
        <KeyList />
        <form method="dialog" className="actions">
          <button type="submit" className="button">
            Закрыть
          </button>
        </form>
      </dialog>

      {stream.isPending && <Loading />}
      {stream.isError && <QueryError error={stream.error} onRetry={() => stream.refetch()} />}
      {stream.isSuccess && posts.length === 0 && (
        <EmptyState icon="chat" title={paramsKey ? 'Ничего не найдено' : 'Новых публикаций нет'}>
          <p>
            {paramsKey
              ? 'Измените условия отбора или сбросьте их.'
              : 'Публикации появляются здесь, когда их находят запросы мониторинга.'}{' '}
            <Link to="/staff/monitoring/queries">Запросы</Link>
          </p>
        </EmptyState>
      )}

      {selectable.length > 0 && (
        <div className="mon-toolbar">
          <CheckboxField
            id="mon-select-all"
            label={`Выбрать все необработанные (${selectable.length})`}
            checked={allSelected}
            disabled={selectable.length === 0}
            onChecked={(v) => setSelected(v ? new Set(selectable.map((p) => p.id)) : new Set())}
          />
        </div>
      )}

      {posts.length > 0 && (
        <ol className="mon-stream" aria-label="Найденные публикации">
          {posts.map((p) => (
            <li key={p.id}>
              <PostCard
                post={p}
                current={p.id === current}
                selected={selected.has(p.id)}
                panel={panel?.id === p.id ? panel.kind : null}
                register={(el) => {
                  if (el) articles.current.set(p.id, el);
                  else articles.current.delete(p.id);
                }}
                onFocusPost={() => setCurrent(p.id)}
                onToggle={() => toggleSelected(p.id)}
                onOpen={(kind) => openPanel(p, kind)}
                onClose={() => closePanel(p.id)}
                onDone={(text) => {
                  setAnnounce(text);
                  closePanel(p.id);
                  setSelected((s) => {
                    if (!s.has(p.id)) return s;
                    const next = new Set(s);
                    next.delete(p.id);
                    return next;
                  });
                }}
              />
            </li>
          ))}
        </ol>
      )}

      {stream.hasNextPage && (
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => stream.fetchNextPage()}
            disabled={stream.isFetchingNextPage}
          >
            {stream.isFetchingNextPage ? 'Загружаем…' : 'Показать ещё'}
          </button>
        </div>
      )}

      {selected.size > 0 && (
        <BulkBar
          ids={[...selected]}
          onClear={() => setSelected(new Set())}
          onDone={(text, failedIds) => {
            setAnnounce(text);
            // What failed stays selected, with its reason under the bar.
            setSelected(new Set(failedIds));
          }}
        />
      )}
    </>
  );
}

function KeyList() {
  return (
    <dl className="mon-keylist">
      {SHORTCUTS.map(([key, what]) => (
        <div key={key}>
          <dt>
            <kbd className="mon-kbd">{key}</kbd>
          </dt>
          <dd>{what}</dd>
        </div>
      ))}
    </dl>
  );
}

function PostStatusBadge({ status }: { status: PostStatus }) {
  const kind = status === 'accepted' ? 'success' : status === 'dismissed' ? 'neutral' : status === 'matched' ? 'info' : 'neutral';
  return <Badge kind={kind}>{POST_STATUS_NAMES[status]}</Badge>;
}

function ActionButton({
  label,
  shortcut,
  onClick,
  expanded,
  secondary = true,
}: {
  label: string;
  shortcut: string;
  onClick: () => void;
  expanded: boolean;
  secondary?: boolean;
}) {
  return (
    <button
      type="button"
      className={`button button--small${secondary ? ' button--secondary' : ''}`}
      onClick={onClick}
      aria-expanded={expanded}
      aria-keyshortcuts={shortcut}
    >
      {label}
      <span className="mon-kbd mon-kbd--in-button" aria-hidden="true">
        {shortcut}
      </span>
    </button>
  );
}

function PostCard({
  post,
  current,
  selected,
  panel,
  register,
  onFocusPost,
  onToggle,
  onOpen,
  onClose,
  onDone,
}: {
  post: StreamItem;
  current: boolean;
  selected: boolean;
  panel: Panel | null;
  register: (el: HTMLElement | null) => void;
  onFocusPost: () => void;
  onToggle: () => void;
  onOpen: (kind: Panel) => void;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const titleId = `post-${post.id}-title`;
  const marks: Mark[] = [
    ...post.matchedQueries.flatMap((q) => termMarks(q.highlights)),
    ...(post.place ? [{ from: post.place.from, to: post.place.to, kind: 'place' as const, title: post.place.name }] : []),
  ];
  const handle = post.authorHandle ? `@${post.authorHandle.replace(/^@/, '')}` : null;
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'Escape' && panel) {
      e.preventDefault();
      onClose();
    }
  };
  return (
    <article
      ref={register}
      tabIndex={-1}
      className={`mon-post mon-post--${post.status}${current ? ' mon-post--current' : ''}${selected ? ' mon-post--selected' : ''}`}
      aria-labelledby={titleId}
      aria-current={current ? 'true' : undefined}
      onFocus={onFocusPost}
      onKeyDown={onKeyDown}
      data-post-id={post.id}
    >
      <header className="mon-post__head">
        {!decided(post) && (
          <input
            type="checkbox"
            className="mon-post__check"
            checked={selected}
            onChange={onToggle}
            aria-label={`Выбрать: ${authorOf(post)}, ${formatDateTime(post.publishedAt)}`}
          />
        )}
        <div className="mon-post__who">
          <h2 id={titleId} className="mon-post__title">
            <SourceKindMark kind={post.source.kind} withName={false} />
            <span className="mon-post__source">{post.source.name}</span>
          </h2>
          <p className="mon-post__meta">
            {post.authorName && <span className="mon-post__author">{post.authorName}</span>}
            {handle && <span className="mon-post__handle">{handle}</span>}
            {!post.authorName && !handle && <span className="muted">автор не указан</span>}
            <Ago iso={post.publishedAt} />
          </p>
        </div>
        <PostStatusBadge status={post.status} />
      </header>

      <MarkedText text={post.text} marks={marks} />

      <dl className="mon-facts">
        <div>
          <dt>Место</dt>
          <dd>
            {post.place && post.place.kind !== 'municipality' && (
              <>
                {post.place.name}
                {post.place.ambiguous && <span className="muted"> (неоднозначно)</span>}
                {' · '}
              </>
            )}
            {post.municipality ? post.municipality.name : <span className="muted">не определено, региональная очередь</span>}
            {!post.place && post.municipality && <span className="muted"> (по источнику или запросу)</span>}
          </dd>
        </div>
        <div>
          <dt>Категория</dt>
          <dd>{post.category ? post.category.name : <span className="muted">не предложена</span>}</dd>
        </div>
        {post.matchedQueries.length > 0 && (
          <div>
            <dt>{post.matchedQueries.length > 1 ? 'Запросы' : 'Запрос'}</dt>
            <dd>{post.matchedQueries.map((q) => q.name).join(', ')}</dd>
          </div>
        )}
      </dl>

      <p className="mon-post__links">
        {post.duplicateCount > 0 && (
          <Badge kind="warning">
            ещё {post.duplicateCount} {plural(post.duplicateCount, ['похожая', 'похожих', 'похожих'])}
          </Badge>
        )}
        {post.url && (
          <a href={post.url} target="_blank" rel="noopener noreferrer" className="mon-post__original">
            Открыть в {post.source.kind === 'vk' ? 'ВКонтакте' : post.source.kind === 'telegram' ? 'Telegram' : 'источнике'}
            <span className="visually-hidden"> (в новой вкладке)</span>
          </a>
        )}
        {post.caseId !== null && (
          <Link to={`/staff/cases/${post.caseId}`} className="mon-post__case">
            Инцидент {post.caseNumber ?? `№ ${post.caseId}`}
          </Link>
        )}
      </p>

      {post.status === 'dismissed' && post.dismissReason && (
        <p className="mon-post__dismissed small">
          <strong>Отклонена:</strong> {post.dismissReason}
        </p>
      )}

      {post.reply && <ReplyState post={post} onDone={onDone} />}

      {!panel && (
        <div className="mon-post__actions">
          {!decided(post) && (
            <>
              <ActionButton label="Принять" shortcut="a" onClick={() => onOpen('accept')} expanded={false} secondary={false} />
              <ActionButton label="Отклонить" shortcut="d" onClick={() => onOpen('dismiss')} expanded={false} />
            </>
          )}
          {post.status !== 'dismissed' && (!post.reply || post.reply.status === 'failed') && (
            <ActionButton label="Ответить" shortcut="r" onClick={() => onOpen('reply')} expanded={false} />
          )}
          {post.caseId !== null && (
            <Link to={`/staff/cases/${post.caseId}`} className="button button--small button--secondary">
              Открыть инцидент
            </Link>
          )}
        </div>
      )}

      {panel === 'accept' && <AcceptPanel post={post} onCancel={onClose} onDone={onDone} />}
      {panel === 'dismiss' && <DismissPanel post={post} onCancel={onClose} onDone={onDone} />}
      {panel === 'reply' && <ReplyPanel post={post} onCancel={onClose} onDone={onDone} />}
    </article>
  );
}

function PanelFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <section className="mon-panel" aria-labelledby={id}>
      <h3 id={id} className="mon-panel__title">
        {title}
      </h3>
      {children}
    </section>
  );
}

function PanelError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="field__error" role="alert">
      {monitoringError(error)}
    </p>
  );
}

function AcceptPanel({ post, onCancel, onDone }: { post: StreamItem; onCancel: () => void; onDone: (text: string) => void }) {
  const { me } = useMe();
  const municipalities = useAdminMunicipalities();
  const ownMunicipality = me?.roles.find((g) => g.role !== 'resident' && g.municipalityId !== null)?.municipalityId ?? null;
  const [municipalityId, setMunicipalityId] = useState<string>(
    String(post.municipality?.id ?? ownMunicipality ?? municipalities.data?.[0]?.id ?? ''),
  );
  const target = post.municipality?.id ?? (municipalityId ? Number(municipalityId) : null);
  const categories = useCategories(target);
  const active = (categories.data ?? []).filter((c) => c.isActive);
  const [categoryId, setCategoryId] = useState<string>(post.category ? String(post.category.id) : '');
  const [text, setText] = useState(post.text);
  const [missing, setMissing] = useState<string | null>(null);
  const putPost = usePutPost();
  const submitRef = useRef<HTMLButtonElement>(null);
  const selectRef = useRef<HTMLDivElement>(null);
  const uid = useId().replace(/:/g, '');

  // Focus: the confirm button when the guess is there (a, then Enter), else the category to choose.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the form opens
  useEffect(() => {
    if (post.category) submitRef.current?.focus();
    else selectRef.current?.querySelector('select')?.focus();
  }, []);

  const mutation = useMutation({
    mutationFn: () =>
      acceptPost(post.id, {
        ...(categoryId && { categoryId: Number(categoryId) }),
        ...(!post.municipality && target !== null && { municipalityId: target }),
        ...(text.trim() && text !== post.text && { text: text.trim() }),
      }),
    onSuccess: (res) => {
      putPost(res.post);
      const due = res.case?.dueAt ? `, первая реакция — до ${formatDateTime(res.case.dueAt)}` : '';
      onDone(`Инцидент ${res.case?.number ?? res.post.caseNumber ?? ''} создан${due}.`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!categoryId) {
      setMissing('Выберите категорию инцидента.');
      selectRef.current?.querySelector('select')?.focus();
      return;
    }
    setMissing(null);
    mutation.mutate();
  };
  return (
    <PanelFrame title="Принять как инцидент">
      <form onSubmit={submit} noValidate className="mon-panel__form">
        {!post.municipality && (
          <SelectField
            id={`${uid}-mun`}
            label="Муниципалитет"
            value={municipalityId}
            onValue={(v) => {
              setMunicipalityId(v);
              setCategoryId('');
            }}
            hint="Место в публикации не определено: выберите, куда направить инцидент."
          >
            <option value="">Выберите…</option>
            {municipalities.data?.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </SelectField>
        )}
        <div ref={selectRef}>
          <SelectField
            id={`${uid}-cat`}
            label="Категория"
            value={categoryId}
            onValue={(v) => {
              setCategoryId(v);
              setMissing(null);
            }}
            error={missing ?? undefined}
            hint={post.category ? `Предложена запросом: ${post.category.name}.` : 'Запрос не предложил категорию.'}
          >
            <option value="">Выберите…</option>
            {post.category && !active.some((c) => c.id === post.category?.id) && (
              <option value={post.category.id}>{post.category.name}</option>
            )}
            {active.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        </div>
        <TextArea
          id={`${uid}-text`}
          label="Текст инцидента"
          value={text}
          onValue={setText}
          optional
          rows={3}
          hint="По умолчанию — текст публикации; ссылка на неё сохранится в карточке."
        />
        <PanelError error={mutation.error} />
        <div className="actions">
          <button ref={submitRef} type="submit" className="button button--small" disabled={mutation.isPending}>
            {mutation.isPending ? 'Создаём…' : 'Создать инцидент'}
          </button>
          <button type="button" className="button button--small button--secondary" onClick={onCancel}>
            Отмена
          </button>
        </div>
      </form>
    </PanelFrame>
  );
}

/** The reason's choices and an explanation; «Другое» needs the explanation. */
function ReasonFields({
  idPrefix,
  choice,
  setChoice,
  note,
  setNote,
  error,
  autoFocus,
}: {
  idPrefix: string;
  choice: string;
  setChoice: (v: string) => void;
  note: string;
  setNote: (v: string) => void;
  error: string | null;
  autoFocus?: boolean;
}) {
  const first = useRef<HTMLInputElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the form opens
  useEffect(() => {
    if (autoFocus) first.current?.focus();
  }, []);
  return (
    <>
      <fieldset className="fieldset mon-reasons">
        <legend className="fieldset__legend fieldset__legend--small">Причина</legend>
        {DISMISS_REASONS.map((r, i) => (
          <div key={r} className="checkbox mon-radio">
            <input
              ref={i === 0 ? first : undefined}
              id={`${idPrefix}-r${i}`}
              type="radio"
              name={`${idPrefix}-reason`}
              value={r}
              checked={choice === r}
              onChange={() => setChoice(r)}
            />
            <label htmlFor={`${idPrefix}-r${i}`}>{r}</label>
          </div>
        ))}
      </fieldset>
      <TextArea
        id={`${idPrefix}-note`}
        label="Пояснение"
        value={note}
        onValue={setNote}
        optional={choice !== 'Другое'}
        error={error ?? undefined}
        rows={2}
      />
    </>
  );
}

function reasonText(choice: string, note: string): string | null {
  const n = note.trim();
  if (choice === 'Другое') return n || null;
  return n ? `${choice}: ${n}` : choice;
}

function DismissPanel({ post, onCancel, onDone }: { post: StreamItem; onCancel: () => void; onDone: (text: string) => void }) {
  const uid = useId().replace(/:/g, '');
  const [choice, setChoice] = useState<string>(DISMISS_REASONS[0]);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const putPost = usePutPost();
  const mutation = useMutation({
    mutationFn: (reason: string) => dismissPost(post.id, reason),
    onSuccess: (res) => {
      putPost(res.post);
      onDone(`Публикация отклонена: ${res.post.dismissReason ?? choice}.`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const reason = reasonText(choice, note);
    if (!reason) {
      setMissing('Напишите, почему публикация отклонена.');
      return;
    }
    setMissing(null);
    mutation.mutate(reason);
  };
  return (
    <PanelFrame title="Отклонить как шум">
      <form onSubmit={submit} noValidate className="mon-panel__form">
        <ReasonFields
          idPrefix={`${uid}-d`}
          choice={choice}
          setChoice={setChoice}
          note={note}
          setNote={setNote}
          error={missing}
          autoFocus
        />
        <PanelError error={mutation.error} />
        <div className="actions">
          <button type="submit" className="button button--small button--danger" disabled={mutation.isPending}>
            {mutation.isPending ? 'Отклоняем…' : 'Отклонить'}
          </button>
          <button type="button" className="button button--small button--secondary" onClick={onCancel}>
            Отмена
          </button>
        </div>
      </form>
    </PanelFrame>
  );
}

/** Where a reply goes: said before it is sent, so nobody expects a comment that never appears. */
function publicationNote(post: StreamItem, manual: boolean): string {
  if (!post.canReply) {
    return `Источник «${post.source.name}» (${SOURCE_KIND_NAMES[post.source.kind]}) не публикует ответы сам: ответ сохранится в Отклике — опубликуйте его вручную и отметьте здесь.`;
  }
  if (manual) return 'Ответ не будет опубликован автоматически: опубликуйте его вручную и отметьте здесь.';
  if (post.source.kind === 'vk')
    return 'Ответ будет опубликован автоматически — комментарием под публикацией во ВКонтакте от имени сообщества.';
  if (post.source.kind === 'telegram')
    return 'Ответ будет опубликован автоматически — ответом на сообщение в Telegram от имени бота.';
  return 'Ответ будет опубликован автоматически.';
}

function ReplyPanel({ post, onCancel, onDone }: { post: StreamItem; onCancel: () => void; onDone: (text: string) => void }) {
  const uid = useId().replace(/:/g, '');
  const [text, setText] = useState(post.reply?.status === 'failed' ? post.reply.text : '');
  const [manual, setManual] = useState(false);
  const [missing, setMissing] = useState<string | null>(null);
  const putPost = usePutPost();
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), []);
  const mutation = useMutation({
    mutationFn: () => replyToPost(post.id, { text: text.trim(), ...((manual || !post.canReply) && { manual: true }) }),
    onSuccess: (updated) => {
      putPost(updated);
      const r = updated.reply;
      onDone(
        r?.status === 'published'
          ? 'Ответ опубликован.'
          : r?.status === 'manual'
            ? 'Ответ сохранён: опубликуйте его вручную и отметьте.'
            : r?.status === 'failed'
              ? `Ответ не опубликован: ${r.error ?? 'платформа отказала'}.`
              : 'Ответ отправлен.',
      );
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setMissing('Напишите текст ответа.');
      area.current?.focus();
      return;
    }
    setMissing(null);
    mutation.mutate();
  };
  const willPublish = post.canReply && !manual;
  return (
    <PanelFrame title="Ответить автору">
      <form onSubmit={submit} noValidate className="mon-panel__form">
        <TextArea
          id={`${uid}-reply`}
          label="Текст ответа"
          value={text}
          onValue={setText}
          error={missing ?? undefined}
          rows={4}
          inputRef={area}
        />
        <p className={`mon-publish mon-publish--${willPublish ? 'auto' : 'manual'}`}>{publicationNote(post, manual)}</p>
        {post.canReply && <CheckboxField id={`${uid}-manual`} label="Опубликую вручную" checked={manual} onChecked={setManual} />}
        <PanelError error={mutation.error} />
        <div className="actions">
          <button type="submit" className="button button--small" disabled={mutation.isPending}>
            {mutation.isPending ? 'Отправляем…' : willPublish ? 'Опубликовать ответ' : 'Сохранить ответ'}
          </button>
          <button type="button" className="button button--small button--secondary" onClick={onCancel}>
            Отмена
          </button>
        </div>
      </form>
    </PanelFrame>
  );
}

/** The reply once written: published (with its link), waiting to be published by hand, or refused by the platform. */
function ReplyState({ post, onDone }: { post: StreamItem; onDone: (text: string) => void }) {
  const reply = post.reply!;
  const uid = useId().replace(/:/g, '');
  const [url, setUrl] = useState('');
  const putPost = usePutPost();
  const confirm = useMutation({
    mutationFn: () => confirmReply(post.id, url.trim() ? { url: url.trim() } : {}),
    onSuccess: (updated) => {
      putPost(updated);
      onDone('Ответ отмечен опубликованным.');
    },
  });
  const kind =
    reply.status === 'published'
      ? 'success'
      : reply.status === 'failed'
        ? 'danger'
        : reply.status === 'manual'
          ? 'warning'
          : 'info';
  return (
    <section className={`mon-reply mon-reply--${reply.status}`} aria-label="Ответ">
      <p className="mon-reply__head">
        <strong>Ответ</strong> <Badge kind={kind}>{REPLY_STATUS_NAMES[reply.status]}</Badge>
        {reply.repliedAt && <span className="muted small"> {formatDateTime(reply.repliedAt)}</span>}
        {reply.url && (
          <>
            {' '}
            <a href={reply.url} target="_blank" rel="noopener noreferrer">
              Открыть ответ<span className="visually-hidden"> (в новой вкладке)</span>
            </a>
          </>
        )}
      </p>
      <p className="mon-reply__text">{reply.text}</p>
      {reply.status === 'failed' && reply.error && <p className="field__error">Платформа отказала: {reply.error}</p>}
      {reply.status === 'manual' && (
        <form
          className="mon-reply__confirm"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            confirm.mutate();
          }}
        >
          <TextField id={`${uid}-url`} label="Ссылка на опубликованный ответ" type="url" value={url} onValue={setUrl} optional />
          <button type="submit" className="button button--small" disabled={confirm.isPending}>
            Отметить опубликованным
          </button>
          <PanelError error={confirm.error} />
        </form>
      )}
    </section>
  );
}

function BulkBar({
  ids,
  onClear,
  onDone,
}: {
  ids: number[];
  onClear: () => void;
  onDone: (text: string, failedIds: number[]) => void;
}) {
  const [mode, setMode] = useState<'accept' | 'dismiss' | null>(null);
  const [choice, setChoice] = useState<string>(DISMISS_REASONS[0]);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const [failures, setFailures] = useState<BulkResult[]>([]);
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: (body: { action: 'accept' | 'dismiss'; reason?: string }) => bulkModerate({ ids, ...body }),
    onSuccess: (results, body) => {
      const ok = results.filter((r) => r.ok).length;
      const failed = results.filter((r) => !r.ok);
      setFailures(failed);
      setMode(null);
      // The decided posts keep their places (with their incidents' links), as after a single decision.
      const done = new Map(results.filter((r) => r.ok).map((r) => [r.id, r]));
      client.setQueriesData({ queryKey: ['monitoring', 'stream'] }, (d) =>
        updatePosts(d as InfiniteData<StreamPage, string | null> | undefined, (p) => {
          const r = done.get(p.id);
          if (!r) return p;
          return body.action === 'accept'
            ? { ...p, status: 'accepted' as const, caseId: r.caseId, caseNumber: r.caseNumber }
            : { ...p, status: 'dismissed' as const, dismissReason: body.reason ?? null };
        }),
      );
      const verb = body.action === 'accept' ? 'Принято' : 'Отклонено';
      const tail = failed.length ? `; не удалось: ${failed.length}` : '';
      onDone(
        `${verb}: ${ok} ${plural(ok, ['публикация', 'публикации', 'публикаций'])}${tail}.`,
        failed.map((r) => r.id),
      );
    },
  });
  const n = ids.length;
  return (
    <section className="mon-bulk" aria-label="Выбранные публикации">
      <div className="mon-bulk__row">
        <p className="mon-bulk__count">
          Выбрано: <strong>{n}</strong>
        </p>
        <button
          type="button"
          className="button button--small"
          onClick={() => setMode('accept')}
          aria-expanded={mode === 'accept'}
        >
          Принять выбранные
        </button>
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={() => setMode('dismiss')}
          aria-expanded={mode === 'dismiss'}
        >
          Отклонить выбранные
        </button>
        <button type="button" className="button button--small button--secondary" onClick={onClear}>
          Снять выбор
        </button>
      </div>
      {mode === 'accept' && (
        <form
          className="mon-bulk__form"
          onSubmit={(e) => {
            e.preventDefault();
            mutation.mutate({ action: 'accept' });
          }}
        >
          <p>
            Каждая из {n} {plural(n, ['публикации', 'публикаций', 'публикаций'])} станет инцидентом в категории, предложенной её
            запросом.
          </p>
          <PanelError error={mutation.error} />
          <div className="actions">
            <button type="submit" className="button button--small" disabled={mutation.isPending}>
              Принять {n}
            </button>
            <button type="button" className="button button--small button--secondary" onClick={() => setMode(null)}>
              Отмена
            </button>
          </div>
        </form>
      )}
      {mode === 'dismiss' && (
        <form
          className="mon-bulk__form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const reason = reasonText(choice, note);
            if (!reason) {
              setMissing('Напишите, почему публикации отклонены.');
              return;
            }
            setMissing(null);
            mutation.mutate({ action: 'dismiss', reason });
          }}
        >
          <ReasonFields idPrefix="bulk" choice={choice} setChoice={setChoice} note={note} setNote={setNote} error={missing} />
          <PanelError error={mutation.error} />
          <div className="actions">
            <button type="submit" className="button button--small button--danger" disabled={mutation.isPending}>
              Отклонить {n}
            </button>
            <button type="button" className="button button--small button--secondary" onClick={() => setMode(null)}>
              Отмена
            </button>
          </div>
        </form>
      )}
      {failures.some((f) => ids.includes(f.id)) && (
        <ul className="mon-bulk__failures">
          {failures
            .filter((f) => ids.includes(f.id))
            .map((f) => (
              <li key={f.id}>
                Публикация № {f.id}:{' '}
                {monitoringError(new ApiError(0, (f.error?.code ?? 'INTERNAL') as ErrorCode, f.error?.message ?? ''))}
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
