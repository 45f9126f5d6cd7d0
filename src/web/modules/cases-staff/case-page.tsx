import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { deadlineCondition, isConditionalDeadline } from '../../../shared/deadlines.ts';
import { ApiError } from '../../app/api.ts';
import { errorMessage } from '../../app/errors-ru.ts';
import { Badge, EmptyState, Loading, Notice, QueryError, usePageTitle } from '../../app/ui.tsx';
import { CaseActions } from './case-actions.tsx';
import { formatDue, isOverdue, OPEN_STATUSES, OverdueBadge, StatusBadge, usePeople, useZoneOf } from './case-bits.tsx';
import {
  ANSWER_BY_NAMES,
  type Case,
  CHANNEL_NAMES,
  CLOSURE_NAMES,
  casesKeys,
  DEADLINE_NAMES,
  EVENT_NAMES,
  KIND_NAMES,
  mergeCases,
  nameOf,
  REGIME_NAMES,
  RESULT_NAMES,
  SIMILAR_REASONS,
  type SimilarCase,
  STATUS_NAMES,
  type TimelineEvent,
  useCase,
  useSimilar,
} from './cases-staff.api.ts';

const sizeText = (n: number) =>
  n < 1024 ? `${n} Б` : n < 1024 * 1024 ? `${Math.round(n / 1024)} КБ` : `${(n / 1024 / 1024).toFixed(1)} МБ`;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** What an event says beyond its name: the result, the comment, where it went, the new deadline. */
function eventDetails(
  e: TimelineEvent,
  zone: string | null,
  personName: (id: number | null) => string | null,
  departmentName: (id: number | null) => string | null,
): string[] {
  const d = e.data;
  const out: string[] = [];
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  if (e.type === 'received' && str(d.channel)) out.push(`Канал: ${nameOf(CHANNEL_NAMES, str(d.channel))}`);
  if (e.type === 'registered' && str(d.number)) out.push(`Номер ${d.number}`);
  if (num(d.departmentId) !== null && e.type === 'assigned') out.push(`Подразделение: ${departmentName(num(d.departmentId))}`);
  if (num(d.executorUserId) !== null) out.push(`Исполнитель: ${personName(num(d.executorUserId))}`);
  if (str(d.result)) out.push(`Результат: ${nameOf(RESULT_NAMES, str(d.result))}`);
  if (str(d.comment)) out.push(`Комментарий: ${d.comment}`);
  if (str(d.reason)) out.push(`Причина: ${d.reason}`);
  if (num(d.days) !== null) out.push(`На ${d.days} дн.`);
  if (str(d.to) && e.type === 'extended') out.push(`Новый срок: ${formatDue(str(d.to)!, zone)}`);
  if (str(d.to) && e.type !== 'extended') out.push(`Куда: ${d.to}`);
  if (str(d.forwardedTo)) out.push(`Передано: ${d.forwardedTo}`);
  if (num(d.rating) !== null) out.push(`Оценка: ${d.rating} из 5`);
  if (d.post_required === true) out.push('Ответ нужно отправить почтой');
  if (e.type === 'merged' && d.kind === 'merged_into') out.push('Ответ будет дан через основное обращение');
  if (e.type === 'merged' && d.kind === 'cluster_joined') out.push('К обращению присоединены похожие');
  return out;
}

function Timeline({ c, zone, people }: { c: Case; zone: string | null; people: ReturnType<typeof usePeople> }) {
  return (
    <ol className="case-timeline">
      {c.timeline.map((e) => (
        <li key={e.id} className={`case-timeline__item${e.late ? ' case-timeline__item--late' : ''}`}>
          <p className="case-timeline__head">
            <strong>{nameOf(EVENT_NAMES, e.type)}</strong>{' '}
            <time dateTime={e.at} className="muted nowrap">
              {formatDue(e.at, zone)}
            </time>
            {e.late && (
              <>
                {' '}
                <Badge kind="danger">с нарушением срока</Badge>
              </>
            )}
          </p>
          {e.actorUserId !== null && (
            <p className="case-timeline__who muted small">{e.actorName ?? people.personName(e.actorUserId)}</p>
          )}
          {eventDetails(e, zone, people.personName, people.departmentName).map((line) => (
            <p key={line} className="case-timeline__detail">
              {line}
            </p>
          ))}
          {e.deadlineAt && (
            <p className="muted small">
              Срок шага: <time dateTime={e.deadlineAt}>{formatDue(e.deadlineAt, zone)}</time>
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

function SimilarPanel({ c, onDone }: { c: Case; onDone: (text: string) => void }) {
  const open = OPEN_STATUSES.includes(c.status);
  const similar = useSimilar(c.id, open);
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const mayMerge = (c.allowedActions ?? []).includes('merge');
  // A case without a point joins a map report's cluster rather than the other way round: the primary is what the
  // public map shows, and a letter about a pothole must not take the pothole off the map.
  const joinsOther = (s: SimilarCase) => s.hasLocation === true && (c.lat === null || c.lon === null);
  const merge = useMutation({
    mutationFn: (other: SimilarCase) => (joinsOther(other) ? mergeCases(other.id, [c.id]) : mergeCases(c.id, [other.id])),
    onSuccess: async (updated, other) => {
      setError(null);
      if (!joinsOther(other)) client.setQueryData(casesKeys.one(c.id), updated);
      await client.invalidateQueries({ queryKey: ['cases'] });
      onDone(
        joinsOther(other)
          ? `Обращение присоединено к сообщению на карте ${other.number}: ответ на него получат все заявители.`
          : 'Обращения объединены: ответ на это обращение получат все заявители.',
      );
    },
    onError: (e) => setError(errorMessage(e)),
  });
  if (!open || !similar.data || similar.data.length === 0) return null;
  return (
    <section className="card case-similar" aria-labelledby="similar-title">
      <h2 id="similar-title" className="card__title">
        Похожие обращения
      </h2>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <ul className="case-similar__list">
        {similar.data.map((s) => (
          <li key={s.id} className="case-similar__item">
            <div className="case-similar__body">
              <Link to={`/staff/cases/${s.id}`}>{s.number}</Link> <StatusBadge status={s.status} />
              <p className="small muted">
                {nameOf(SIMILAR_REASONS, s.reason)} · сходство {Math.round(s.score * 100)} %
              </p>
              <p className="case-similar__text">{s.text}</p>
            </div>
            {mayMerge && (
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => merge.mutate(s)}
                disabled={merge.isPending}
                aria-label={
                  joinsOther(s) ? `Присоединить к сообщению на карте ${s.number}` : `Объединить с обращением ${s.number}`
                }
              >
                {joinsOther(s) ? 'Присоединить' : 'Объединить'}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function CaseCard({ c }: { c: Case }) {
  const zone = useZoneOf(c.municipalityId);
  const people = usePeople(c.municipalityId);
  const [notice, setNotice] = useState<string | null>(null);
  const overdue = isOverdue(c);
  const a = c.applicant;
  const applicantName = [a.lastName, a.firstName, a.middleName].filter(Boolean).join(' ');

  return (
    <>
      <p className="small">
        <Link to="/staff/cases">← К списку обращений</Link>
      </p>
      <div className="page-head">
        <h1>Обращение {c.number}</h1>
        <p className="case-head__badges">
          <StatusBadge status={c.status} />
          {overdue && <OverdueBadge />}
        </p>
      </div>
      <Notice text={notice} onClose={() => setNotice(null)} />

      <div className="case-layout">
        <div className="case-layout__main">
          <section className="card" aria-labelledby="case-text-title">
            <h2 id="case-text-title" className="card__title">
              Текст обращения
            </h2>
            {/* Plain text, as written: React escapes it, so markup in an appeal is shown, never run. */}
            <p className="case-text">{c.text}</p>
            {c.address && (
              <p className="small">
                <strong>Адрес проблемы:</strong> {c.address}
              </p>
            )}
            {c.attachments && c.attachments.length > 0 && (
              <>
                <h3 className="case-subtitle">Вложения</h3>
                <ul className="plain-list case-attachments">
                  {c.attachments.map((f) => (
                    <li key={f.id}>
                      <a href={f.url} download={f.fileName}>
                        {f.fileName}
                      </a>{' '}
                      <span className="muted small">({sizeText(f.size)})</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>

          {c.answer && (
            <section className="card" aria-labelledby="case-answer-title">
              <h2 id="case-answer-title" className="card__title">
                Ответ
              </h2>
              <p className="small muted">
                {formatDue(c.answer.answeredAt, zone)}
                {c.answer.result && ` · ${nameOf(RESULT_NAMES, c.answer.result)}`}
              </p>
              <p className="case-text">{c.answer.text}</p>
            </section>
          )}
          {c.draft && (
            <section className="card case-draft" aria-labelledby="case-draft-title">
              <h2 id="case-draft-title" className="card__title">
                Проект ответа
              </h2>
              {c.draft.result && <p className="small muted">Результат: {nameOf(RESULT_NAMES, c.draft.result)}</p>}
              <p className="case-text">{c.draft.text}</p>
            </section>
          )}
          {c.closure && (
            <section className="card" aria-labelledby="case-closure-title">
              <h2 id="case-closure-title" className="card__title">
                Закрыто без ответа по существу
              </h2>
              <p>{nameOf(CLOSURE_NAMES, c.closure.reason)}</p>
              {c.closure.comment && <p className="case-text">{c.closure.comment}</p>}
              {c.closure.forwardedTo && <p className="small">Передано: {c.closure.forwardedTo}</p>}
            </section>
          )}

          <section className="case-section" aria-labelledby="case-actions-title">
            <h2 id="case-actions-title">Действия</h2>
            <CaseActions c={c} people={[...people.people.values()]} departments={people.departments} onDone={setNotice} />
          </section>

          <SimilarPanel c={c} onDone={setNotice} />

          <section className="case-section" aria-labelledby="case-timeline-title">
            <h2 id="case-timeline-title">История</h2>
            <Timeline c={c} zone={zone} people={people} />
          </section>
        </div>

        <div className="case-layout__side">
          <section className="card" aria-labelledby="case-facts-title">
            <h2 id="case-facts-title" className="card__title">
              Сведения
            </h2>
            <dl className="facts">
              <Fact label="Категория">{c.categoryName ?? 'без категории'}</Fact>
              <Fact label="Порядок рассмотрения">{nameOf(REGIME_NAMES, c.regime)}</Fact>
              <Fact label="Вид">{nameOf(KIND_NAMES, c.kind)}</Fact>
              <Fact label="Канал">{nameOf(CHANNEL_NAMES, c.channel)}</Fact>
              {c.mediaUrl && /^https?:\/\//.test(c.mediaUrl) && (
                <Fact label={c.channel === 'social' ? 'Публикация' : 'Ссылка'}>
                  <a href={c.mediaUrl} target="_blank" rel="noopener noreferrer">
                    {c.channel === 'social' ? 'открыть исходную публикацию' : c.mediaUrl}
                  </a>
                </Fact>
              )}
              <Fact label="Поступило">{formatDue(c.receivedAt, zone)}</Fact>
              {c.registeredAt && <Fact label="Зарегистрировано">{formatDue(c.registeredAt, zone)}</Fact>}
              <Fact label="Подразделение">{people.departmentName(c.departmentId) ?? 'не назначено'}</Fact>
              <Fact label="Исполнитель">{c.executorName ?? people.personName(c.executorUserId) ?? 'не назначен'}</Fact>
              <Fact label="Статус">{nameOf(STATUS_NAMES, c.status)}</Fact>
              {c.cluster && c.cluster.primaryCaseId !== c.id && (
                <Fact label="Основное обращение">
                  <Link to={`/staff/cases/${c.cluster.primaryCaseId}`}>{c.cluster.primaryNumber}</Link>
                  <span className="table__sub">ответ даётся через него</span>
                </Fact>
              )}
              {c.cluster && c.cluster.primaryCaseId === c.id && (
                <Fact label="Объединены с этим (основным)">
                  {c.cluster.members
                    .filter((m) => m.id !== c.id)
                    .map((m, i) => (
                      <span key={m.id}>
                        {i > 0 && ', '}
                        <Link to={`/staff/cases/${m.id}`}>{m.number}</Link>
                      </span>
                    ))}
                </Fact>
              )}
            </dl>
          </section>

          <section className="card" aria-labelledby="case-applicant-title">
            <h2 id="case-applicant-title" className="card__title">
              Заявитель
            </h2>
            {a.isAnonymous || !applicantName ? (
              <p>Анонимно (фамилия не указана)</p>
            ) : (
              <dl className="facts">
                <Fact label="ФИО">{applicantName}</Fact>
                {a.email && (
                  <Fact label="Электронная почта">
                    <a href={`mailto:${a.email}`} className="break">
                      {a.email}
                    </a>
                  </Fact>
                )}
                {a.phone && <Fact label="Телефон">{a.phone}</Fact>}
                {a.postalAddress && <Fact label="Почтовый адрес">{a.postalAddress}</Fact>}
                <Fact label="Ответ направить">{nameOf(ANSWER_BY_NAMES, a.answerBy)}</Fact>
              </dl>
            )}
            {c.coSigners && c.coSigners.length > 0 && (
              <>
                <h3 className="case-subtitle">Соавторы (коллективное обращение)</h3>
                <ul className="plain-list case-cosigners">
                  {c.coSigners.map((s) => (
                    <li key={`${s.lastName}-${s.firstName}-${s.email ?? s.postalAddress ?? ''}`}>
                      {[s.lastName, s.firstName, s.middleName].filter(Boolean).join(' ')}
                      {(s.email || s.postalAddress) && (
                        <span className="table__sub break">{[s.email, s.postalAddress].filter(Boolean).join(' · ')}</span>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>

          <section className="card" aria-labelledby="case-deadlines-title">
            <h2 id="case-deadlines-title" className="card__title">
              Сроки
            </h2>
            {c.deadlines.length === 0 ? (
              <p className="muted">Сроков нет.</p>
            ) : (
              <ul className="case-deadlines">
                {c.deadlines
                  .filter((d) => !isConditionalDeadline(d.kind, c.extensionCount))
                  .map((d) => (
                    <li key={`${d.kind}-${d.dueAt}-${d.internal}`} className="case-deadlines__item">
                      <p className="case-deadlines__head">
                        <strong>{nameOf(DEADLINE_NAMES, d.kind)}</strong>
                        {d.internal && <Badge kind="info">внутренний контроль</Badge>}
                        {d.provisional && <Badge kind="warning">предварительно</Badge>}
                      </p>
                      <p>
                        до <time dateTime={d.dueAt}>{formatDue(d.dueAt, zone)}</time>
                        {d.internal && d.legalDueAt !== d.dueAt && (
                          <span className="muted small"> (по закону — до {formatDue(d.legalDueAt, zone)})</span>
                        )}
                      </p>
                      <p className="small">{d.rule}</p>
                      <p className="small muted">Основание: {d.source}</p>
                    </li>
                  ))}
              </ul>
            )}
            {c.deadlines.some((d) => isConditionalDeadline(d.kind, c.extensionCount)) && (
              <details className="disclosure">
                <summary>Если потребуется</summary>
                <ul className="case-deadlines">
                  {c.deadlines
                    .filter((d) => isConditionalDeadline(d.kind, c.extensionCount))
                    .map((d) => (
                      <li key={`${d.kind}-${d.dueAt}`} className="case-deadlines__item">
                        <p className="case-deadlines__head">
                          <strong>{nameOf(DEADLINE_NAMES, d.kind)}</strong>
                        </p>
                        <p>
                          до <time dateTime={d.dueAt}>{formatDue(d.dueAt, zone)}</time> —{' '}
                          <span className="small">{deadlineCondition(d.kind)}</span>
                        </p>
                        <p className="small muted">Основание: {d.source}</p>
                      </li>
                    ))}
                </ul>
              </details>
            )}
          </section>
        </div>
      </div>
    </>
  );
}

export function CasePage() {
  const params = useParams();
  const id = Number(params.id);
  const query = useCase(Number.isInteger(id) && id > 0 ? id : 0);
  usePageTitle(query.data ? `Обращение ${query.data.number}` : 'Обращение');
  if (!Number.isInteger(id) || id <= 0 || (query.error instanceof ApiError && query.error.status === 404)) {
    return (
      <EmptyState icon="inbox" title="Обращение не найдено">
        <p>Возможно, ссылка неверна или обращение относится к другому муниципалитету.</p>
        <p>
          <Link to="/staff/cases">К списку обращений</Link>
        </p>
      </EmptyState>
    );
  }
  if (query.isPending) return <Loading />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  return <CaseCard c={query.data} />;
}
