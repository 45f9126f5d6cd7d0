import { NavLink, Outlet, useLocation } from 'react-router';
import { useMe } from '../../app/session.tsx';
import { Icon } from '../../app/ui.tsx';
import { workspaceScope } from './scope.ts';
import { sectionsFor } from './sections.ts';

/** The staff workspace: navigation built from the user's roles, the section on the right. */
export function WorkspaceLayout() {
  const { me } = useMe();
  const { pathname } = useLocation();
  const sections = sectionsFor(me?.roles.map((g) => g.role) ?? []);
  const scope = me ? workspaceScope(me) : null;
  return (
    <div className="container workspace">
      <aside className="workspace__aside">
        <nav aria-label="Разделы рабочего места">
          <p className="workspace__nav-title">Рабочее место</p>
          {scope && (
            <p className="workspace__scope">
              <Icon name="pin" />
              <span>{scope}</span>
            </p>
          )}
          <ul className="side-nav">
            <li>
              <NavLink end to="/staff" className="side-nav__link">
                <Icon name="building" />
                <span>Обзор</span>
              </NavLink>
            </li>
            {sections.map((s) => (
              <li key={s.path}>
                <NavLink
                  to={`/staff/${s.path}`}
                  className="side-nav__link"
                  // A section inside another one (cases/new inside cases) is the only one marked while it is open.
                  end={sections.some((o) => o.path.startsWith(`${s.path}/`) && pathname.startsWith(`/staff/${o.path}`))}
                >
                  <Icon name={s.icon} />
                  <span>{s.title}</span>
                  {!s.built && <span className="side-nav__soon">скоро</span>}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="workspace__content">
        <Outlet />
      </div>
    </div>
  );
}
