import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../app/api.ts';
import { actionErrorMessage } from '../../app/errors-ru.ts';
import { Badge, formatDateTime, Icon, Loading, Notice, QueryError } from '../../app/ui.tsx';
import {
  activeConsent,
  type ConsentRecord,
  consentKeys,
  giveConsent,
  PERSONAL_DATA,
  reloadConsentDocument,
  useConsentDocument,
  useMyConsents,
  versionLabel,
  withdrawConsent,
} from '../accounts/consent.api.ts';
import { ConsentTextDetails } from '../accounts/consent-text.tsx';

function History({ items }: { items: ConsentRecord[] }) {
  return (
    <details className="disclosure consent-history">
      <summary>История согласия</summary>
      <ul className="consent-history__list">
        {items.map((c) => (
          <li key={`${c.acceptedAt}-${c.version}`}>
            Дано {formatDateTime(c.acceptedAt)} ({versionLabel(c.version)})
            {c.withdrawnAt && <>, отозвано {formatDateTime(c.withdrawnAt)}</>}
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * The consent to personal-data processing in the cabinet (152-ФЗ ст. 9): whether it is given, for which text,
 * and a way to withdraw it or give it again. Appeals do not depend on it (59-ФЗ), and the card says so.
 */
export function ConsentCard() {
  const client = useQueryClient();
  const doc = useConsentDocument();
  const consents = useMyConsents();
  const [notice, setNotice] = useState<string | null>(null);
  const [failed, setFailed] = useState<unknown>(null);

  const onMutate = () => {
    setNotice(null);
    setFailed(null);
  };
  const onError = (error: unknown) => {
    setFailed(error);
    // Given for a text that has just changed: fetch the new one so the person reads what they agree to.
    if (error instanceof ApiError && error.details.some((d) => /version/.test(d.field))) void reloadConsentDocument(client);
  };
  const give = useMutation({
    mutationFn: (version: string) => giveConsent(version),
    onMutate,
    onSuccess: (items) => {
      client.setQueryData(consentKeys.mine, items);
      setNotice('Согласие на обработку персональных данных дано. Спасибо!');
    },
    onError,
  });
  const withdraw = useMutation({
    mutationFn: withdrawConsent,
    onMutate,
    onSuccess: (items) => {
      client.setQueryData(consentKeys.mine, items);
      setNotice('Согласие отозвано. Ваши обращения по-прежнему будут рассматриваться — по закону № 59-ФЗ.');
    },
    onError,
  });
  const busy = give.isPending || withdraw.isPending;

  const items = consents.data?.filter((c) => c.kind === PERSONAL_DATA) ?? [];
  const active = activeConsent(items);
  const last = items[0];
  const outdated = active && doc.data && active.version !== doc.data.version;

  return (
    <section className="card section consent-card" aria-labelledby="consent-title">
      <h2 id="consent-title" className="card__title">
        <Icon name="shield" /> Согласие на обработку персональных данных
      </h2>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {consents.isPending && <Loading text="Загружаем сведения о согласии…" />}
      {consents.isError && <QueryError error={consents.error} onRetry={() => consents.refetch()} />}
      {consents.data && (
        <>
          <p className="consent-card__status">
            {active ? (
              <>
                <Badge kind="success">дано</Badge>
                <span className="consent-card__when">{formatDateTime(active.acceptedAt)}</span>
                <span className="muted">{versionLabel(active.version)}</span>
              </>
            ) : last?.withdrawnAt ? (
              <>
                <Badge kind="warning">отозвано</Badge>
                <span className="consent-card__when">{formatDateTime(last.withdrawnAt)}</span>
              </>
            ) : (
              <>
                <Badge kind="neutral">не дано</Badge>
                <span>Вы не давали согласия.</span>
              </>
            )}
          </p>
          <p className="muted">
            Согласие не обязательно: обращения рассматриваются и без него, по Федеральному закону № 59-ФЗ. Его можно дать или
            отозвать в любой момент; после отзыва данные, обработка которых не требуется по закону, уничтожаются в течение 30
            дней.
          </p>
          {outdated && (
            <div className="alert alert--warning">
              <p className="alert__title">Текст согласия обновился</p>
              <p>Вы давали согласие на прежнюю редакцию. Прочитайте новую и, если согласны, подтвердите согласие ещё раз.</p>
            </div>
          )}
          {doc.data && <ConsentTextDetails id="cabinet-consent-text" doc={doc.data} />}
          {doc.isError && <QueryError error={doc.error} onRetry={() => doc.refetch()} />}
          <div className="actions">
            {(!active || outdated) && doc.data && (
              <button type="button" className="button" disabled={busy} onClick={() => doc.data && give.mutate(doc.data.version)}>
                {give.isPending ? 'Сохраняем…' : outdated ? 'Дать согласие на новую редакцию' : 'Дать согласие'}
              </button>
            )}
            {active && (
              <button type="button" className="button button--danger" disabled={busy} onClick={() => withdraw.mutate()}>
                {withdraw.isPending ? 'Отзываем…' : 'Отозвать согласие'}
              </button>
            )}
          </div>
          {failed !== null && !busy && (
            <p className="field__error action-error" role="alert">
              <span className="visually-hidden">Ошибка: </span>
              {actionErrorMessage(failed)}
            </p>
          )}
          {items.length > 0 && <History items={items} />}
        </>
      )}
    </section>
  );
}
