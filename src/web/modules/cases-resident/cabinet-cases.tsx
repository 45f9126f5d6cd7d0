import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { actionErrorMessage } from '../../app/errors-ru.ts';
import { Badge, EmptyState, Loading, plural, QueryError } from '../../app/ui.tsx';
import { caseKeys, markAllNoticesRead, markNoticeRead, useMyCases, useNotices } from './cases.api.ts';
import { CaseList } from './my-cases-page.tsx';
import { localDateTimeRu } from './names.ts';

const SHOWN = 3;

/** «Мои обращения» in the cabinet: the latest few, a link to all, and the way to write a new one. */
export function CabinetCases() {
  const cases = useMyCases();
  const count = cases.data?.length ?? 0;
  return (
    <section className="section" aria-labelledby="appeals-title">
      <div className="page-head rcase-list-head">
        <h2 id="appeals-title">Мои обращения</h2>
        <Link to="/cabinet/cases/new" className="button">
          Подать обращение
        </Link>
      </div>
      {cases.isPending && <Loading text="Загружаем ваши обращения…" />}
      {cases.isError && <QueryError error={cases.error} onRetry={() => cases.refetch()} />}
      {cases.data && count === 0 && (
        <EmptyState icon="mail" title="У вас пока нет обращений">
          <p>Напишите в администрацию своего муниципалитета — ответ придёт в срок, установленный законом.</p>
        </EmptyState>
      )}
      {cases.data && count > 0 && (
        <>
          <CaseList items={cases.data} limit={SHOWN} />
          <p>
            <Link to="/cabinet/cases">Все обращения ({count})</Link>
          </p>
        </>
      )}
    </section>
  );
}

/** «Уведомления»: letters about the resident's cases, also kept here. Nothing at all while the server has no such route. */
export function CabinetNotices() {
  const client = useQueryClient();
  const notices = useNotices();
  const refresh = () => client.invalidateQueries({ queryKey: caseKeys.notices });
  const readOne = useMutation({ mutationFn: markNoticeRead, onSuccess: refresh });
  const readAll = useMutation({ mutationFn: markAllNoticesRead, onSuccess: refresh });
  if (notices.data === null || notices.isPending) return null;
  return (
    <section className="section" aria-labelledby="notices-title">
      <h2 id="notices-title">
        Уведомления{' '}
        {notices.data && notices.data.unread > 0 && (
          <Badge kind="info">
            {notices.data.unread} {plural(notices.data.unread, ['новое', 'новых', 'новых'])}
          </Badge>
        )}
      </h2>
      {notices.isError && <QueryError error={notices.error} onRetry={() => notices.refetch()} />}
      {notices.data && notices.data.items.length === 0 && <p className="muted">Уведомлений пока нет.</p>}
      {notices.data && notices.data.items.length > 0 && (
        <>
          <ul className="notices">
            {notices.data.items.slice(0, 10).map((n) => (
              <li key={n.id} className={`notice-item${n.readAt ? '' : ' notice-item--unread'}`}>
                <p className="notice-item__head">
                  <time dateTime={n.at} className="muted small">
                    {localDateTimeRu(n.at)}
                  </time>
                  {!n.readAt && <Badge kind="info">новое</Badge>}
                </p>
                <p className="notice-item__title">
                  {n.caseId ? <Link to={`/cabinet/cases/${n.caseId}`}>{n.title}</Link> : n.title}
                </p>
                {n.text && <p className="notice-item__text">{n.text}</p>}
                {!n.readAt && (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    disabled={readOne.isPending}
                    onClick={() => readOne.mutate(n.id)}
                  >
                    Прочитано
                  </button>
                )}
              </li>
            ))}
          </ul>
          {notices.data.unread > 0 && (
            <button
              type="button"
              className="button button--secondary"
              disabled={readAll.isPending}
              onClick={() => readAll.mutate()}
            >
              Отметить все прочитанными
            </button>
          )}
          {(readOne.error || readAll.error) && (
            <p className="field__error action-error" role="alert">
              {actionErrorMessage(readOne.error ?? readAll.error)}
            </p>
          )}
        </>
      )}
    </section>
  );
}
