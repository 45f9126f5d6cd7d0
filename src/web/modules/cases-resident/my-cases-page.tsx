import { Link } from 'react-router';
import { Badge, EmptyState, Loading, QueryError, usePageTitle } from '../../app/ui.tsx';
import { type CaseSummary, useMyCases } from './cases.api.ts';
import { isOverdue, localDateRu, REGIME_NAMES, statusBadge, statusName } from './names.ts';

/** One case as a card row: a list rather than a table, so it reads the same on a phone and a desktop. */
function CaseRow({ c }: { c: CaseSummary }) {
  const due = c.answerDue ?? c.due;
  const overdue = isOverdue(c.status, due);
  return (
    <li className={`rcase-row${overdue ? ' rcase-row--overdue' : ''}`}>
      <Link to={`/cabinet/cases/${c.id}`} className="rcase-row__link">
        <span className="rcase-row__head">
          <span className="rcase-row__number">№ {c.number}</span>
          <Badge kind={statusBadge(c.status)}>{statusName(c.status)}</Badge>
        </span>
        <span className="rcase-row__category">{c.categoryName ?? REGIME_NAMES[c.regime] ?? 'Обращение'}</span>
        <span className="rcase-row__text">{c.text.length > 140 ? `${c.text.slice(0, 140)}…` : c.text}</span>
        <span className="rcase-row__dates">
          <span>Подано {localDateRu(c.receivedAt)}</span>
          {due && (
            <span className={overdue ? 'rcase-row__due rcase-row__due--overdue' : 'rcase-row__due'}>
              {overdue ? 'Срок ответа прошёл' : 'Ответ до'} {localDateRu(due.dueAt)}
            </span>
          )}
        </span>
      </Link>
    </li>
  );
}

export function CaseList({ items, limit }: { items: CaseSummary[]; limit?: number }) {
  return (
    <ul className="rcase-list">
      {items.slice(0, limit ?? items.length).map((c) => (
        <CaseRow key={c.id} c={c} />
      ))}
    </ul>
  );
}

export function MyCasesPage() {
  usePageTitle('Мои обращения');
  const cases = useMyCases();
  return (
    <div className="container page page--narrow">
      <nav className="crumbs" aria-label="Навигация">
        <Link to="/cabinet">Личный кабинет</Link>
      </nav>
      <div className="page-head rcase-list-head">
        <h1>Мои обращения</h1>
        <Link to="/cabinet/cases/new" className="button">
          Подать обращение
        </Link>
      </div>
      {cases.isPending && <Loading text="Загружаем ваши обращения…" />}
      {cases.isError && <QueryError error={cases.error} onRetry={() => cases.refetch()} />}
      {cases.data && cases.data.length === 0 && (
        <EmptyState icon="mail" title="У вас пока нет обращений">
          <p>Напишите в администрацию — здесь будет видно, как рассматривают ваше обращение и когда ждать ответа.</p>
        </EmptyState>
      )}
      {cases.data && cases.data.length > 0 && <CaseList items={cases.data} />}
    </div>
  );
}
