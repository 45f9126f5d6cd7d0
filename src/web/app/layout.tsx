import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { logout } from '../modules/accounts/accounts.api.ts';
import { errorMessage } from './errors-ru.ts';
import { useChosenMunicipality } from './municipality-choice.ts';
import { ME_KEY, useMe, useSessionExpiryWatch } from './session.tsx';
import { Icon } from './ui.tsx';

function Logo() {
  return (
    <svg className="brand__logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path d="M8 9h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9l-5 4v-4H8a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z" fill="#fff" />
      <circle cx="12" cy="15.5" r="1.6" fill="currentColor" />
      <circle cx="16" cy="15.5" r="1.6" fill="currentColor" />
      <circle cx="20" cy="15.5" r="1.6" fill="currentColor" />
    </svg>
  );
}

function UserMenu() {
  const { me } = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const signOut = useMutation({
    mutationFn: logout,
    onSettled: (_data, err) => {
      // Whatever the server answered, this browser forgets the session.
      if (err) setError(errorMessage(err));
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      client.setQueryData(ME_KEY, null);
      navigate('/');
    },
  });

  if (me === undefined) return <div className="user-menu" aria-hidden="true" />;
  if (!me) {
    return (
      <ul className="user-menu">
        <li>
          <NavLink to="/login" className="header-link">
            Войти
          </NavLink>
        </li>
        <li>
          <NavLink to="/register" className="button button--small button--on-dark">
            Регистрация
          </NavLink>
        </li>
      </ul>
    );
  }
  return (
    <ul className="user-menu">
      <li>
        <NavLink to="/cabinet" className="header-link" aria-label="Личный кабинет">
          <span className="show-wide">Личный кабинет</span>
          <span className="hide-wide">Кабинет</span>
        </NavLink>
      </li>
      {me.isStaff && (
        <li>
          <NavLink to="/staff" className="header-link">
            Рабочее место
          </NavLink>
        </li>
      )}
      <li className="user-menu__who">
        <Icon name="user" />
        <span className="user-menu__name">
          {me.firstName} {me.lastName}
        </span>
      </li>
      <li>
        <button
          type="button"
          className="button button--small button--ghost-on-dark"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          Выйти
        </button>
        {error && (
          <span className="visually-hidden" role="alert">
            {error}
          </span>
        )}
      </li>
    </ul>
  );
}

function MunicipalityBadge() {
  const chosen = useChosenMunicipality();
  return (
    <Link to="/#municipality" className="municipality-chip" title="Сменить муниципалитет">
      <Icon name="pin" />
      {chosen ? (
        <span>
          <span className="visually-hidden">Выбранный муниципалитет: </span>
          {chosen.shortName}
        </span>
      ) : (
        <span>
          Выбрать<span className="hide-on-phone"> муниципалитет</span>
        </span>
      )}
    </Link>
  );
}

/** Moves focus to the main region after an in-app navigation, so keyboard and screen-reader users start there. */
function useFocusMainOnNavigate(mainRef: RefObject<HTMLElement | null>) {
  const location = useLocation();
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect is a reaction to the path changing
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (location.hash) {
      const target = document.getElementById(location.hash.slice(1));
      if (target) {
        target.scrollIntoView();
        target.focus({ preventScroll: true });
        return;
      }
    }
    window.scrollTo(0, 0);
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname, location.hash, mainRef]);
}

export function Layout() {
  useSessionExpiryWatch();
  const mainRef = useRef<HTMLElement>(null);
  useFocusMainOnNavigate(mainRef);
  return (
    <>
      <a className="skip-link" href="#main">
        Перейти к основному содержанию
      </a>
      <header className="site-header">
        <div className="container site-header__inner">
          <Link to="/" className="brand">
            <Logo />
            <span className="brand__text">
              <span className="brand__name">Отклик</span>
              <span className="brand__tagline">обратная связь с администрацией</span>
            </span>
          </Link>
          <MunicipalityBadge />
          <nav className="site-nav" aria-label="Основное меню">
            <NavLink to="/map" className="header-link site-nav__map">
              Карта
            </NavLink>
            <UserMenu />
          </nav>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container site-footer__inner">
          <p>
            <strong>«Отклик»</strong> — открытая платформа обратной связи жителей с администрацией муниципалитета.
          </p>
          <p>
            Сайт не использует внешние сервисы: шрифты, статистика и скрипты не загружаются со сторонних серверов. Персональные
            данные обрабатываются в соответствии с Федеральным законом № 152-ФЗ «О персональных данных».
          </p>
          <p>
            <Link to="/contests">Итоги конкурса «Лучшая муниципальная практика»</Link>
          </p>
          <p>
            <a href="/api/docs">Документация API для разработчиков</a>
          </p>
        </div>
      </footer>
    </>
  );
}
