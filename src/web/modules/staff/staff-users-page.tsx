import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PASSWORD_MIN } from '../../../shared/limits.ts';
import { MUNICIPAL_STAFF_ROLES, REGIONAL_ROLES, ROLE_NAMES_RU, type Role } from '../../../shared/roles.ts';
import { errorMessage } from '../../app/errors-ru.ts';
import { hasRole, useMe } from '../../app/session.tsx';
import {
  Alert,
  Badge,
  EmptyState,
  ErrorSummary,
  Loading,
  Notice,
  QueryError,
  SelectField,
  TextField,
  useFormErrors,
  usePageTitle,
} from '../../app/ui.tsx';
import { fullName } from '../accounts/accounts.api.ts';
import {
  MunicipalityPicker,
  REGION,
  useManagedMunicipalities,
  useSelectedMunicipality,
} from '../tenancy/municipality-picker.tsx';
import { type Department, useDepartments } from '../tenancy/tenancy.api.ts';
import { createStaff, type StaffMember, setStaffActive, staffKeys, useStaffList } from './staff.api.ts';

const LABELS: Record<string, string> = {
  lastName: 'Фамилия',
  firstName: 'Имя',
  middleName: 'Отчество',
  email: 'Электронная почта',
  password: 'Начальный пароль',
  roles: 'Роли',
  departmentId: 'Подразделение',
  phone: 'Телефон',
};
const FIELDS = Object.keys(LABELS);

/** `roles.0.departmentId` → the department select; any other problem with a grant → the role checkboxes. */
const fieldOf = (path: string) => (path.endsWith('.departmentId') ? 'departmentId' : (path.split('.')[0] ?? path));

/** A random initial password the administrator hands over; letters that are easy to misread are left out. */
function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = new Uint8Array(14);
  crypto.getRandomValues(bytes);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5, 10).join('')}-${chars.slice(10).join('')}`;
}

function CreateStaffForm({
  municipalityId,
  departments,
  onDone,
}: {
  municipalityId: number | null;
  departments: Department[];
  onDone: (text: string) => void;
}) {
  const client = useQueryClient();
  const roleChoices: readonly Role[] = municipalityId === null ? REGIONAL_ROLES : MUNICIPAL_STAFF_ROLES;
  const [v, setV] = useState({ lastName: '', firstName: '', middleName: '', email: '', password: '', phone: '' });
  const [roles, setRoles] = useState<Role[]>([]);
  const [departmentId, setDepartmentId] = useState('');
  const form = useFormErrors('staff-new', FIELDS, fieldOf);
  const set = (field: keyof typeof v) => (value: string) => setV((s) => ({ ...s, [field]: value }));

  const mutation = useMutation({
    mutationFn: () =>
      createStaff({
        email: v.email.trim(),
        password: v.password,
        lastName: v.lastName.trim(),
        firstName: v.firstName.trim(),
        ...(v.middleName.trim() ? { middleName: v.middleName.trim() } : {}),
        ...(v.phone.trim() ? { phone: v.phone.trim() } : {}),
        roles: roles.map((role) =>
          municipalityId === null
            ? { role }
            : { role, municipalityId, ...(departmentId ? { departmentId: Number(departmentId) } : {}) },
        ),
      }),
    onError: form.fromError,
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: staffKeys.all });
      setV({ lastName: '', firstName: '', middleName: '', email: '', password: '', phone: '' });
      setRoles([]);
      setDepartmentId('');
      form.clear();
      onDone(
        `Учётная запись ${created.email} создана. Передайте сотруднику адрес и начальный пароль лично или по защищённому каналу.`,
      );
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (roles.length === 0) {
      form.show({ roles: 'Выберите хотя бы одну роль.' }, 'Выберите роль.');
      return;
    }
    mutation.mutate();
  };

  const toggleRole = (role: Role, on: boolean) => setRoles((rs) => (on ? [...rs, role] : rs.filter((r) => r !== role)));

  return (
    <section className="card form-panel" aria-labelledby="staff-new-title">
      <h2 id="staff-new-title">Новый сотрудник</h2>
      <ErrorSummary form={form} labels={LABELS} />
      <form onSubmit={submit} noValidate className="form form--grid">
        <TextField
          id="staff-new-lastName"
          label={LABELS.lastName!}
          value={v.lastName}
          onValue={set('lastName')}
          error={form.errors.lastName}
          autoComplete="off"
        />
        <TextField
          id="staff-new-firstName"
          label={LABELS.firstName!}
          value={v.firstName}
          onValue={set('firstName')}
          error={form.errors.firstName}
          autoComplete="off"
        />
        <TextField
          id="staff-new-middleName"
          label={LABELS.middleName!}
          optional
          value={v.middleName}
          onValue={set('middleName')}
          error={form.errors.middleName}
          autoComplete="off"
        />
        <TextField
          id="staff-new-phone"
          label={LABELS.phone!}
          optional
          type="tel"
          inputMode="tel"
          value={v.phone}
          onValue={set('phone')}
          error={form.errors.phone}
          autoComplete="off"
        />
        <TextField
          id="staff-new-email"
          label={LABELS.email!}
          type="email"
          inputMode="email"
          value={v.email}
          onValue={set('email')}
          error={form.errors.email}
          autoComplete="off"
          hint="Служебный адрес: он будет логином сотрудника."
        />
        <div className="field-with-action">
          <TextField
            id="staff-new-password"
            label={LABELS.password!}
            value={v.password}
            onValue={set('password')}
            error={form.errors.password}
            autoComplete="new-password"
            spellCheck={false}
            hint={`Не короче ${PASSWORD_MIN} символов, без имени и адреса почты.`}
          />
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => set('password')(generatePassword())}
          >
            Придумать пароль
          </button>
        </div>
        <fieldset
          className={`fieldset form__wide${form.errors.roles ? ' field--error' : ''}`}
          aria-describedby={form.errors.roles ? 'staff-new-roles-error' : undefined}
        >
          <legend className="fieldset__legend fieldset__legend--small">Роли</legend>
          {form.errors.roles && (
            <p id="staff-new-roles-error" className="field__error">
              <span className="visually-hidden">Ошибка: </span>
              {form.errors.roles}
            </p>
          )}
          <div className="checkbox-group" id="staff-new-roles" tabIndex={-1}>
            {roleChoices.map((role) => (
              <div className="checkbox" key={role}>
                <input
                  id={`staff-new-role-${role}`}
                  type="checkbox"
                  checked={roles.includes(role)}
                  onChange={(e) => toggleRole(role, e.target.checked)}
                />
                <label htmlFor={`staff-new-role-${role}`}>{ROLE_NAMES_RU[role]}</label>
              </div>
            ))}
          </div>
        </fieldset>
        {municipalityId !== null && (
          <SelectField
            id="staff-new-departmentId"
            label={LABELS.departmentId!}
            optional
            value={departmentId}
            onValue={setDepartmentId}
            error={form.errors.departmentId}
            hint="Для исполнителя и руководителя — подразделение, в котором он работает."
            fieldClassName="form__wide"
          >
            <option value="">Без подразделения</option>
            {departments
              .filter((d) => d.isActive)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </SelectField>
        )}
        <div className="actions form__wide">
          <button type="submit" className="button" disabled={mutation.isPending}>
            {mutation.isPending ? 'Создаём…' : 'Создать учётную запись'}
          </button>
        </div>
      </form>
    </section>
  );
}

function BlockButton({ member, onDone }: { member: StaffMember; onDone: (text: string) => void }) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => setStaffActive(member.id, !member.isActive),
    onSuccess: async (res) => {
      await client.invalidateQueries({ queryKey: staffKeys.all });
      onDone(
        res.isActive
          ? `Доступ восстановлен: ${fullName(member)}.`
          : `Учётная запись заблокирована: ${fullName(member)}. Все её сеансы завершены.`,
      );
    },
  });
  return (
    <>
      <button
        type="button"
        className={`button button--small ${member.isActive ? 'button--danger' : 'button--secondary'}`}
        onClick={() => mutation.mutate()}
        disabled={mutation.isPending}
        aria-label={`${member.isActive ? 'Заблокировать' : 'Разблокировать'}: ${fullName(member)}`}
      >
        {member.isActive ? 'Заблокировать' : 'Разблокировать'}
      </button>
      {mutation.isError && (
        <span className="field__error" role="alert">
          {errorMessage(mutation.error)}
        </span>
      )}
    </>
  );
}

export function StaffUsersPage() {
  usePageTitle('Сотрудники');
  const { me } = useMe();
  const regional = hasRole(me, ['regional_admin']);
  const { query: municipalities, items } = useManagedMunicipalities();
  const [selected, select] = useSelectedMunicipality(items, regional);
  const municipalityId = typeof selected === 'number' ? selected : null;
  const departments = useDepartments(municipalityId);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const list = useStaffList(municipalityId, q, selected !== null);
  const [notice, setNotice] = useState<string | null>(null);
  const departmentName = (id: number | null) => (id ? departments.data?.find((d) => d.id === id)?.name : undefined);
  const members = list.data?.pages.flat();

  return (
    <>
      <h1>Сотрудники</h1>
      <p className="lead">Учётные записи сотрудников администрации, их роли и подразделения.</p>
      {municipalities.isPending && <Loading />}
      {municipalities.isError && <QueryError error={municipalities.error} onRetry={() => municipalities.refetch()} />}
      {items && items.length === 0 && !regional && (
        <Alert kind="warning">
          <p>У вас нет муниципалитетов, которыми вы управляете.</p>
        </Alert>
      )}
      {items && (items.length > 0 || regional) && (
        <div className="toolbar">
          <MunicipalityPicker
            id="staff-municipality"
            items={items}
            selected={selected}
            allowRegion={regional}
            onSelect={(v) => {
              setNotice(null);
              select(v);
            }}
          />
          <form
            className="search"
            onSubmit={(e) => {
              e.preventDefault();
              setQ(search.trim());
            }}
          >
            <label htmlFor="staff-search" className="field__label">
              Поиск по ФИО или почте
            </label>
            <div className="search__row">
              <input
                id="staff-search"
                className="input"
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
              <button type="submit" className="button button--secondary">
                Найти
              </button>
            </div>
          </form>
        </div>
      )}
      <Notice text={notice} onClose={() => setNotice(null)} />
      {selected !== null && (
        <>
          <h2>{selected === REGION ? 'Региональные сотрудники' : 'Список сотрудников'}</h2>
          {list.isPending && <Loading />}
          {list.isError && <QueryError error={list.error} onRetry={() => list.refetch()} />}
          {members && members.length === 0 && (
            <EmptyState icon="user" title={q ? 'Никого не нашли' : 'Сотрудников пока нет'}>
              {q ? <p>Проверьте написание или очистите поиск.</p> : <p>Создайте первую учётную запись с помощью формы ниже.</p>}
            </EmptyState>
          )}
          {members && members.length > 0 && (
            <div className="table-scroll">
              <table className="table">
                <caption className="visually-hidden">Сотрудники</caption>
                <thead>
                  <tr>
                    <th scope="col">Сотрудник</th>
                    <th scope="col">Роли</th>
                    <th scope="col">Статус</th>
                    <th scope="col">
                      <span className="visually-hidden">Действия</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((m) => (
                    <tr key={m.id} className={m.isActive ? '' : 'table__row--muted'}>
                      <th scope="row" data-label="Сотрудник">
                        {fullName(m)}
                        <span className="table__sub break">{m.email}</span>
                      </th>
                      <td data-label="Роли">
                        <ul className="role-list">
                          {m.roles
                            .filter((g) =>
                              municipalityId === null ? g.municipalityId === null : g.municipalityId === municipalityId,
                            )
                            .map((g) => (
                              <li key={`${g.role}-${g.municipalityId}`}>
                                {g.roleName}
                                {departmentName(g.departmentId) && (
                                  <span className="table__sub">{departmentName(g.departmentId)}</span>
                                )}
                              </li>
                            ))}
                        </ul>
                      </td>
                      <td data-label="Статус">
                        {m.isActive ? <Badge kind="success">активен</Badge> : <Badge kind="danger">заблокирован</Badge>}
                      </td>
                      <td className="table__actions">{m.id !== me?.id && <BlockButton member={m} onDone={setNotice} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {list.hasNextPage && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => list.fetchNextPage()}
              disabled={list.isFetchingNextPage}
            >
              {list.isFetchingNextPage ? 'Загружаем…' : 'Показать ещё'}
            </button>
          )}
          <CreateStaffForm
            key={String(selected)}
            municipalityId={municipalityId}
            departments={departments.data ?? []}
            onDone={setNotice}
          />
        </>
      )}
    </>
  );
}
