import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import type { Role } from '../../shared/roles.ts';
import { hasRole, useMe } from './session.tsx';
import { Icon, Loading, usePageTitle } from './ui.tsx';

/** Only a path inside this site may be a `next` target (no open redirect to another origin). */
export function safeNext(next: string | null): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}

export function RequireUser({ children }: { children: ReactNode }) {
  const { me, loading } = useMe();
  const location = useLocation();
  if (loading) return <Loading text="Проверяем вход…" />;
  if (!me) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

export function NoAccess({ reason, embedded = false }: { reason: string; embedded?: boolean }) {
  usePageTitle('Нет доступа');
  const { me } = useMe();
  return (
    <div className={embedded ? '' : 'container page page--narrow'}>
      <div className="card card--center">
        <Icon name="lock" className="card__big-icon" />
        <h1>Нет доступа</h1>
        <p className="lead">{reason}</p>
        {me && (
          <p className="muted">
            Вы вошли как {me.firstName} {me.lastName} ({me.email}).
          </p>
        )}
        <div className="actions actions--center">
          <Link to="/cabinet" className="button">
            В личный кабинет
          </Link>
          <Link to="/" className="button button--secondary">
            На главную
          </Link>
        </div>
      </div>
    </div>
  );
}

export function RequireStaff({ children }: { children: ReactNode }) {
  const { me } = useMe();
  if (!me?.isStaff) {
    return (
      <NoAccess reason="Рабочее место доступно только сотрудникам администрации. Если вы работаете в администрации, попросите администратора выдать вам роль." />
    );
  }
  return <>{children}</>;
}

export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { me } = useMe();
  if (!hasRole(me, roles))
    return <NoAccess embedded reason="Этот раздел не входит в ваши обязанности: у вашей роли нет к нему доступа." />;
  return <>{children}</>;
}
