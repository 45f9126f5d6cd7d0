import { Link } from 'react-router';
import { useChosenMunicipality } from '../../app/municipality-choice.ts';
import { useMe } from '../../app/session.tsx';
import { Badge, EmptyState, Icon, usePageTitle } from '../../app/ui.tsx';
import { fullName, politeName } from '../accounts/accounts.api.ts';
import { CabinetCases, CabinetNotices } from '../cases-resident/cabinet-cases.tsx';
import { ConsentCard } from './consent-card.tsx';
import { EmailConfirmationNotice } from './email-confirmation.tsx';

/**
 * The resident's own page: who they are, whether the address is confirmed (with a new letter on request), the
 * consent to personal-data processing, their cases and the notices about them.
 */
export function CabinetPage() {
  usePageTitle('Личный кабинет');
  const { me } = useMe();
  const chosen = useChosenMunicipality();
  if (!me) return null;
  return (
    <div className="container page">
      <h1>Личный кабинет</h1>
      <p className="lead">Здравствуйте, {politeName(me)}!</p>

      {me.isStaff && (
        <div className="alert alert--info" role="note">
          <p>
            Вы сотрудник администрации. Служебные разделы — на <Link to="/staff">рабочем месте</Link>.
          </p>
        </div>
      )}

      <div className="cabinet-grid">
        <section className="card" aria-labelledby="me-title">
          <h2 id="me-title" className="card__title">
            <Icon name="user" /> Ваши данные
          </h2>
          <dl className="facts">
            <div>
              <dt>ФИО</dt>
              <dd>{fullName(me)}</dd>
            </div>
            <div>
              <dt>Электронная почта</dt>
              <dd>
                <span className="break">{me.email}</span>{' '}
                {me.emailConfirmed ? <Badge kind="success">подтверждена</Badge> : <Badge kind="warning">не подтверждена</Badge>}
              </dd>
            </div>
          </dl>
          {!me.emailConfirmed && <EmailConfirmationNotice email={me.email} />}
        </section>

        <section className="card" aria-labelledby="place-title">
          <h2 id="place-title" className="card__title">
            <Icon name="pin" /> Ваш муниципалитет
          </h2>
          {chosen ? (
            <>
              <p className="big">{chosen.name}</p>
              <p>
                <Link to="/#municipality">Выбрать другой</Link>
              </p>
            </>
          ) : (
            <>
              <p>Муниципалитет не выбран.</p>
              <p>
                <Link to="/#municipality" className="button button--secondary button--small">
                  Выбрать муниципалитет
                </Link>
              </p>
            </>
          )}
        </section>
      </div>

      <CabinetCases />
      <CabinetNotices />

      <ConsentCard />

      <section className="section" aria-labelledby="reports-title">
        <h2 id="reports-title">Сообщения о проблемах</h2>
        <EmptyState icon="map" title="Вы пока не сообщали о проблемах">
          <p>Скоро здесь можно будет отметить проблему на карте и следить за её решением.</p>
        </EmptyState>
      </section>

      <section className="section" aria-labelledby="votes-title">
        <h2 id="votes-title">Голосования и опросы</h2>
        <EmptyState icon="vote" title="Сейчас нет голосований, в которых вы участвуете">
          <p>Голосования и опросы администрации появятся здесь.</p>
        </EmptyState>
      </section>
    </div>
  );
}
