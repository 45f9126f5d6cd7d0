import { Link } from 'react-router';
import { useMe } from '../../app/session.tsx';
import { Badge, Icon, usePageTitle } from '../../app/ui.tsx';
import type { RoleGrant } from '../accounts/accounts.api.ts';
import { fullName } from '../accounts/accounts.api.ts';
import { grantScope } from './scope.ts';
import { sectionsFor } from './sections.ts';

function GrantLine({ grant }: { grant: RoleGrant }) {
  return (
    <li className="grant">
      <Badge kind="info">{grant.roleName}</Badge>
      <span className="grant__scope">{grantScope(grant)}</span>
    </li>
  );
}

export function WorkspaceHome() {
  usePageTitle('Рабочее место');
  const { me } = useMe();
  if (!me) return null;
  const staffGrants = me.roles.filter((g) => g.role !== 'resident');
  const sections = sectionsFor(staffGrants.map((g) => g.role));
  return (
    <>
      <h1>Рабочее место</h1>
      <section className="card profile" aria-labelledby="profile-title">
        <div className="profile__avatar" aria-hidden="true">
          {me.lastName.slice(0, 1)}
          {me.firstName.slice(0, 1)}
        </div>
        <div>
          <h2 id="profile-title" className="profile__name">
            {fullName(me)}
          </h2>
          <p className="muted">{me.email}</p>
          <ul className="grants" aria-label="Ваши роли">
            {staffGrants.map((g) => (
              <GrantLine key={`${g.role}-${g.municipalityId ?? 'region'}-${g.departmentId ?? ''}`} grant={g} />
            ))}
          </ul>
        </div>
      </section>

      <h2>Ваши разделы</h2>
      <ul className="tiles">
        {sections.map((s) => (
          <li key={s.path}>
            <Link to={`/staff/${s.path}`} className="tile">
              <Icon name={s.icon} className="tile__icon" />
              <span className="tile__title">{s.title}</span>
              <span className="tile__text">{s.summary}</span>
              {!s.built && <Badge kind="warning">в разработке</Badge>}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
