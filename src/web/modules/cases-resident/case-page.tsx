import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { isConditionalDeadline } from '../../../shared/deadlines.ts';
import { ApiError } from '../../app/api.ts';
import { actionErrorMessage } from '../../app/errors-ru.ts';
import { Badge, Icon, Loading, Notice, QueryError, usePageTitle } from '../../app/ui.tsx';
import { usePublicMunicipalities } from '../tenancy/tenancy.api.ts';
import { type CaseCard, caseKeys, rateCase, reopenCase, useCase, withdrawCase } from './cases.api.ts';
import { RadioGroup, TextAreaField } from './fields.tsx';
import {
  ANSWER_BY_NAMES,
  CLOSURE_NAMES,
  DEADLINE_NAMES,
  eventName,
  FINISHED,
  fileSize,
  isOverdue,
  KIND_NAMES,
  localDateRu,
  localDateTimeRu,
  REGIME_NAMES,
  RESULT_NAMES,
  STAFF_ONLY_EVENTS,
  statusBadge,
  statusName,
} from './names.ts';

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The answer deadline in force, in words a resident reads, with its rule and the law it comes from. */
function Deadlines({ c }: { c: CaseCard }) {
  const due = c.answerDue ?? c.due;
  const overdue = isOverdue(c.status, due);
  // The legal deadlines only (a municipality's internal control dates are its own business).
  // Those that bind only if the case takes that path (a court decision returned, an unreadable text) are not shown:
  // the applicant is told when one applies.
  const legal = c.deadlines.filter((d) => !d.internal && !isConditionalDeadline(d.kind, c.extensionCount));
  // Closed without an answer or sent to another body: no deadline of this administration is running.
  if (c.status === 'closed' || c.status === 'redirected') return null;
  const answered = c.answer && FINISHED.has(c.status);
  return (
    <section className="card rcase-section" aria-labelledby="case-deadlines">
      <h2 id="case-deadlines" className="card__title">
        <Icon name="clock" /> Сроки
      </h2>
      {due ? (
        <div className={`rcase-due${overdue ? ' rcase-due--overdue' : ''}`}>
          <p className="rcase-due__line">
            {DEADLINE_NAMES[due.kind] ?? 'Ответ'}: <strong>до {localDateRu(due.dueAt)}</strong>{' '}
            {overdue && <Badge kind="danger">срок прошёл</Badge>}
            {answered && c.answer && (
              <Badge kind={Date.parse(c.answer.answeredAt) <= Date.parse(due.dueAt) ? 'success' : 'warning'}>
                {Date.parse(c.answer.answeredAt) <= Date.parse(due.dueAt) ? 'ответ дан в срок' : 'ответ дан с опозданием'}
              </Badge>
            )}
          </p>
          <p className="rcase-due__rule">
            {due.rule} <span className="muted">({due.source})</span>
          </p>
          {c.extensionCount > 0 && <p className="muted small">Срок продлевали: {c.extensionCount} раз.</p>}
        </div>
      ) : (
        <p className="muted">Срок ответа не установлен.</p>
      )}
      {legal.length > 1 && (
        <details className="disclosure">
          <summary>Все сроки по этому обращению</summary>
          <ul className="rcase-deadline-list">
            {legal.map((d) => (
              <li key={d.kind} className="rcase-deadline-list__item">
                <strong>
                  {DEADLINE_NAMES[d.kind] ?? d.kind} — до {localDateRu(d.dueAt)}
                </strong>
                <span className="small">
                  {d.rule} <span className="muted">({d.source})</span>
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function Timeline({ c }: { c: CaseCard }) {
  const events = c.timeline.filter((e) => !STAFF_ONLY_EVENTS.has(e.type));
  return (
    <section className="card rcase-section" aria-labelledby="case-timeline">
      <h2 id="case-timeline" className="card__title">
        <Icon name="list" /> Ход рассмотрения
      </h2>
      <ol className="rcase-timeline">
        {events.map((e) => {
          const text = (key: string) => (typeof e.data[key] === 'string' ? (e.data[key] as string) : null);
          // A closing step stores its closure code as `reason` and the person's words as `comment`.
          const reason = text('reason');
          const note = reason && !(reason in CLOSURE_NAMES) ? reason : text('comment');
          const to = text('to');
          return (
            <li key={e.id} className="rcase-timeline__item">
              <time className="rcase-timeline__at" dateTime={e.at}>
                {localDateTimeRu(e.at)}
              </time>
              <span className="rcase-timeline__what">{eventName(e.type)}</span>
              {to && <span className="rcase-timeline__note">Куда: {to}</span>}
              {note && <span className="rcase-timeline__note">Причина: {note}</span>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function ActionError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="field__error action-error" role="alert">
      <span className="visually-hidden">Ошибка: </span>
      {actionErrorMessage(error)}
    </p>
  );
}

/** The three things an applicant may do, each shown only when the server lists it in `allowedActions`. */
function Actions({ c, onDone }: { c: CaseCard; onDone: (card: CaseCard, text: string) => void }) {
  const allowed = new Set(c.allowedActions ?? []);
  const [open, setOpen] = useState<'rate' | 'reopen' | 'withdraw' | null>(null);
  const [rating, setRating] = useState('');
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [ratingError, setRatingError] = useState<string | undefined>();
  const [reasonError, setReasonError] = useState<string | undefined>();

  const done = (text: string) => (card: CaseCard) => {
    setOpen(null);
    setReason('');
    setComment('');
    onDone(card, text);
  };
  const rate = useMutation({
    mutationFn: () => rateCase(c.id, Number(rating), comment),
    onSuccess: done('Спасибо! Ваша оценка сохранена.'),
  });
  const reopen = useMutation({
    mutationFn: () => reopenCase(c.id, reason),
    onSuccess: done('Обращение снова в работе: на ответ отведён новый срок.'),
  });
  const withdraw = useMutation({
    mutationFn: () => withdrawCase(c.id, reason),
    onSuccess: done('Обращение отозвано. Рассмотрение прекращено.'),
  });

  const shown = ['rate', 'reopen', 'withdraw'].filter((a) => allowed.has(a));
  if (shown.length === 0) return null;
  const toggle = (what: typeof open) => {
    setOpen(open === what ? null : what);
    setRatingError(undefined);
    setReasonError(undefined);
    rate.reset();
    reopen.reset();
    withdraw.reset();
  };

  const submitRate = (e: FormEvent) => {
    e.preventDefault();
    if (!rating) return setRatingError('Выберите оценку от 1 до 5.');
    setRatingError(undefined);
    rate.mutate();
  };
  const submitReason = (m: typeof reopen, required: boolean) => (e: FormEvent) => {
    e.preventDefault();
    if (required && !reason.trim()) return setReasonError('Напишите, почему ответ вас не устроил.');
    setReasonError(undefined);
    m.mutate();
  };

  return (
    <section className="card rcase-section" aria-labelledby="case-actions">
      <h2 id="case-actions" className="card__title">
        <Icon name="chat" /> Что можно сделать
      </h2>
      <div className="actions rcase-actions">
        {allowed.has('rate') && (
          <button type="button" className="button" aria-expanded={open === 'rate'} onClick={() => toggle('rate')}>
            Оценить ответ
          </button>
        )}
        {allowed.has('reopen') && (
          <button
            type="button"
            className="button button--secondary"
            aria-expanded={open === 'reopen'}
            onClick={() => toggle('reopen')}
          >
            Не согласен, пересмотреть
          </button>
        )}
        {allowed.has('withdraw') && (
          <button
            type="button"
            className="button button--danger"
            aria-expanded={open === 'withdraw'}
            onClick={() => toggle('withdraw')}
          >
            Отозвать обращение
          </button>
        )}
      </div>

      {open === 'rate' && (
        <form className="form rcase-action-form" onSubmit={submitRate} noValidate>
          <RadioGroup
            id="case-rate-rating"
            name="rating"
            legend="Оценка ответа"
            hint="1 — совсем не устроил, 5 — полностью устроил."
            value={rating}
            onValue={setRating}
            error={ratingError}
            options={['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v }))}
          />
          <TextAreaField
            id="case-rate-comment"
            label="Комментарий"
            optional
            value={comment}
            onValue={setComment}
            rows={3}
            maxLength={2000}
          />
          <ActionError error={rate.error} />
          <div className="actions">
            <button type="submit" className="button" disabled={rate.isPending}>
              {rate.isPending ? 'Сохраняем…' : 'Отправить оценку'}
            </button>
          </div>
        </form>
      )}

      {open === 'reopen' && (
        <form className="form rcase-action-form" onSubmit={submitReason(reopen, true)} noValidate>
          <TextAreaField
            id="case-reopen-reason"
            label="Почему ответ вас не устроил"
            hint="Обращение вернётся в работу, и на ответ будет отведён новый срок."
            value={reason}
            onValue={setReason}
            error={reasonError}
            rows={4}
            maxLength={2000}
          />
          <ActionError error={reopen.error} />
          <div className="actions">
            <button type="submit" className="button" disabled={reopen.isPending}>
              {reopen.isPending ? 'Отправляем…' : 'Попросить пересмотреть'}
            </button>
          </div>
        </form>
      )}

      {open === 'withdraw' && (
        <form className="form rcase-action-form" onSubmit={submitReason(withdraw, false)} noValidate>
          <TextAreaField
            id="case-withdraw-reason"
            label="Причина"
            optional
            hint="Например: вопрос уже решён. После отзыва обращение рассматриваться не будет."
            value={reason}
            onValue={setReason}
            rows={3}
            maxLength={2000}
          />
          <ActionError error={withdraw.error} />
          <div className="actions">
            <button type="submit" className="button button--danger" disabled={withdraw.isPending}>
              {withdraw.isPending ? 'Отзываем…' : 'Да, отозвать обращение'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function CasePage() {
  const { id: raw } = useParams();
  const id = Number(raw);
  const location = useLocation();
  const client = useQueryClient();
  const query = useCase(id);
  const municipalities = usePublicMunicipalities();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const [notice, setNotice] = useState<string | null>(
    created ? 'Обращение отправлено и зарегистрировано. Ответ придёт в срок, указанный ниже.' : null,
  );
  const c = query.data;
  usePageTitle(c ? `Обращение ${c.number}` : 'Обращение');

  if (!Number.isInteger(id) || id < 1 || (query.error instanceof ApiError && query.error.status === 404)) {
    return (
      <div className="container page page--narrow">
        <div className="card card--center">
          <h1>Обращение не найдено</h1>
          <p className="lead">Возможно, ссылка неверна. Все ваши обращения — в списке.</p>
          <div className="actions actions--center">
            <Link to="/cabinet/cases" className="button">
              Мои обращения
            </Link>
          </div>
        </div>
      </div>
    );
  }

  const municipality = c && municipalities.data?.find((m) => m.id === c.municipalityId);
  return (
    <div className="container page page--narrow rcase-page">
      <nav className="crumbs" aria-label="Навигация">
        <Link to="/cabinet">Личный кабинет</Link> <span aria-hidden="true">›</span> <Link to="/cabinet/cases">Мои обращения</Link>
      </nav>
      {query.isPending && <Loading text="Загружаем обращение…" />}
      {query.isError && <QueryError error={query.error} onRetry={() => query.refetch()} />}
      {c && (
        <>
          <header className="rcase-head">
            <h1>
              Обращение <span className="nowrap">№ {c.number}</span>
            </h1>
            <p className="rcase-head__status">
              <Badge kind={statusBadge(c.status)}>{statusName(c.status)}</Badge>
              <span className="muted">подано {localDateTimeRu(c.receivedAt)}</span>
            </p>
          </header>
          <Notice text={notice} onClose={() => setNotice(null)} />

          {c.closure && (
            <div className="alert alert--info" role="note">
              <p className="alert__title">Рассмотрение завершено {localDateRu(c.closure.closedAt)}</p>
              <p>{CLOSURE_NAMES[c.closure.reason] ?? c.closure.reason}</p>
              {c.closure.comment && <p>{c.closure.comment}</p>}
              {c.closure.forwardedTo && <p>Передано: {c.closure.forwardedTo}</p>}
            </div>
          )}

          {c.answer && (
            <section className="card rcase-section rcase-answer" aria-labelledby="case-answer">
              <h2 id="case-answer" className="card__title">
                <Icon name="mail" /> {FINISHED.has(c.status) ? 'Ответ' : 'Прежний ответ'} от {localDateRu(c.answer.answeredAt)}
              </h2>
              {!FINISHED.has(c.status) && (
                <p className="muted">Обращение снова рассматривается: новый ответ придёт в срок, указанный ниже.</p>
              )}
              {c.answer.result && (
                <p>
                  Результат:{' '}
                  <Badge
                    kind={c.answer.result === 'supported' ? 'success' : c.answer.result === 'not_supported' ? 'warning' : 'info'}
                  >
                    {RESULT_NAMES[c.answer.result] ?? c.answer.result}
                  </Badge>
                </p>
              )}
              <div className="rcase-text">{c.answer.text}</div>
            </section>
          )}

          <Actions
            c={c}
            onDone={(card, text) => {
              client.setQueryData(caseKeys.one(card.id), card);
              void client.invalidateQueries({ queryKey: caseKeys.mine });
              setNotice(text);
            }}
          />

          <Deadlines c={c} />

          <section className="card rcase-section" aria-labelledby="case-about">
            <h2 id="case-about" className="card__title">
              <Icon name="inbox" /> Обращение
            </h2>
            <dl className="facts">
              {municipality && <Fact term="Администрация">{municipality.name}</Fact>}
              <Fact term="Вид">
                {REGIME_NAMES[c.regime] ?? c.regime}, {(KIND_NAMES[c.kind] ?? c.kind).toLowerCase()}
              </Fact>
              <Fact term="Тема">{c.categoryName ?? 'не указана'}</Fact>
              {c.address && <Fact term="Адрес места">{c.address}</Fact>}
              {c.applicant.answerBy && (
                <Fact term="Ответ">
                  {ANSWER_BY_NAMES[c.applicant.answerBy] ?? c.applicant.answerBy}
                  {c.applicant.answerBy === 'post' && c.applicant.postalAddress && <>: {c.applicant.postalAddress}</>}
                </Fact>
              )}
            </dl>
            <h3 className="rcase-subtitle">Текст</h3>
            <div className="rcase-text">{c.text}</div>

            {c.attachments && c.attachments.length > 0 && (
              <>
                <h3 className="rcase-subtitle">Файлы</h3>
                <ul className="rcase-files">
                  {c.attachments.map((a) => (
                    <li key={a.id}>
                      <a href={a.url ?? `/api/v1/attachments/${a.id}`} download={a.fileName}>
                        {a.fileName}
                      </a>{' '}
                      <span className="muted small">{fileSize(a.size)}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}

            {c.coSigners && c.coSigners.length > 0 && (
              <>
                <h3 className="rcase-subtitle">Коллективное обращение, соавторы</h3>
                <ul className="plain-list">
                  {c.coSigners.map((s) => (
                    <li key={`${s.lastName}-${s.firstName}-${s.email ?? s.postalAddress ?? ''}`}>
                      {[s.lastName, s.firstName, s.middleName].filter(Boolean).join(' ')}
                    </li>
                  ))}
                </ul>
              </>
            )}

            {c.cluster && c.cluster.members.length > 1 && (
              <p className="muted small">
                Рассматривается вместе с похожими обращениями: {c.cluster.members.map((m) => m.number).join(', ')}.
              </p>
            )}
          </section>

          <Timeline c={c} />
        </>
      )}
    </div>
  );
}
