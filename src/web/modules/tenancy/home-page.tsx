import { useState } from 'react';
import { Link } from 'react-router';
import { chooseMunicipality, useChosenMunicipality } from '../../app/municipality-choice.ts';
import { useMe } from '../../app/session.tsx';
import {
  Badge,
  EmptyState,
  formatNumber,
  Icon,
  type IconName,
  Loading,
  plural,
  QueryError,
  usePageTitle,
} from '../../app/ui.tsx';
import { type Municipality, usePublicMunicipalities } from './tenancy.api.ts';

interface Feature {
  icon: IconName;
  title: string;
  text: string;
  ready: boolean;
}

const FEATURES: Feature[] = [
  {
    icon: 'mail',
    title: 'Подать обращение',
    text: 'Письменное обращение в администрацию. Ответ — в течение 30 дней со дня регистрации (59-ФЗ).',
    ready: true,
  },
  {
    icon: 'map',
    title: 'Сообщить о проблеме на карте',
    text: 'Яма на дороге, неубранный мусор, не горит фонарь — отметьте место, и сообщение попадёт ответственной службе.',
    ready: false,
  },
  {
    icon: 'vote',
    title: 'Голосования и опросы',
    text: 'Выбор объектов благоустройства, инициативное бюджетирование, опросы о работе служб.',
    ready: false,
  },
  {
    icon: 'people',
    title: 'ТОС',
    text: 'Территориальное общественное самоуправление: проекты, собрания и новости вашего ТОС.',
    ready: false,
  },
  {
    icon: 'user',
    title: 'Личный кабинет',
    text: 'Регистрация по электронной почте, история ваших обращений и ответов в одном месте.',
    ready: true,
  },
];

function MunicipalityOption({ m, selected, onChoose }: { m: Municipality; selected: boolean; onChoose: () => void }) {
  return (
    <li>
      <button type="button" className={`choice${selected ? ' choice--selected' : ''}`} aria-pressed={selected} onClick={onChoose}>
        <span className="choice__name">{m.name}</span>
        <span className="choice__meta">{m.typeName}</span>
        {m.population !== null && (
          <span className="choice__meta">
            {formatNumber(m.population)} {plural(m.population, ['житель', 'жителя', 'жителей'])}
          </span>
        )}
        {selected && (
          <span className="choice__mark">
            <Icon name="check" /> выбран
          </span>
        )}
      </button>
    </li>
  );
}

export function HomePage() {
  usePageTitle('');
  const { me } = useMe();
  const municipalities = usePublicMunicipalities();
  const chosen = useChosenMunicipality();
  const [announce, setAnnounce] = useState('');

  const choose = (m: Municipality) => {
    chooseMunicipality({ id: m.id, name: m.name, shortName: m.shortName });
    setAnnounce(`Выбран муниципалитет: ${m.name}`);
  };

  return (
    <>
      <section className="hero">
        <div className="container hero__inner">
          <h1 className="hero__title">Ваш голос в делах города и посёлка</h1>
          <p className="hero__lead">
            «Отклик» соединяет жителей с администрацией: сообщите о проблеме, задайте вопрос, примите участие в решениях — и
            следите, как на них отвечают.
          </p>
          <div className="actions">
            {me ? (
              <Link to={me.isStaff ? '/staff' : '/cabinet'} className="button button--on-dark button--large">
                {me.isStaff ? 'Перейти на рабочее место' : 'Перейти в личный кабинет'}
              </Link>
            ) : (
              <>
                <Link to="/register" className="button button--on-dark button--large">
                  Зарегистрироваться
                </Link>
                <Link to="/login" className="button button--ghost-on-dark button--large">
                  Войти
                </Link>
              </>
            )}
          </div>
        </div>
      </section>

      <div className="container page">
        <section id="municipality" tabIndex={-1} aria-labelledby="municipality-title" className="section">
          <h2 id="municipality-title">Выберите муниципалитет</h2>
          <p className="muted">Обращения и сообщения направляются в администрацию выбранного муниципалитета.</p>
          {municipalities.isPending && <Loading text="Загружаем список муниципалитетов…" />}
          {municipalities.isError && <QueryError error={municipalities.error} onRetry={() => municipalities.refetch()} />}
          {municipalities.data && municipalities.data.length === 0 && (
            <EmptyState title="Муниципалитеты пока не подключены">
              <p>Когда администрация подключится к платформе, она появится в этом списке.</p>
            </EmptyState>
          )}
          {municipalities.data && municipalities.data.length > 0 && (
            <ul className="choices">
              {municipalities.data.map((m) => (
                <MunicipalityOption key={m.id} m={m} selected={chosen?.id === m.id} onChoose={() => choose(m)} />
              ))}
            </ul>
          )}
          <p className="visually-hidden" role="status">
            {announce}
          </p>
        </section>

        <section aria-labelledby="features-title" className="section">
          <h2 id="features-title">Что можно сделать на платформе</h2>
          <ul className="features">
            {FEATURES.map((f) => (
              <li key={f.title} className={`feature${f.ready ? '' : ' feature--soon'}`}>
                <Icon name={f.icon} className="feature__icon" />
                <div>
                  <h3 className="feature__title">{f.title}</h3>
                  <p>{f.text}</p>
                  <div className="feature__status">
                    {f.ready ? <Badge kind="success">работает</Badge> : <Badge kind="warning">скоро</Badge>}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
