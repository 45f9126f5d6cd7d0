import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../app/errors-ru.ts';
import {
  Alert,
  Badge,
  EmptyState,
  ErrorSummary,
  Loading,
  Notice,
  QueryError,
  TextField,
  useFormErrors,
  usePageTitle,
} from '../../app/ui.tsx';
import { MunicipalityPicker, useManagedMunicipalities, useSelectedMunicipality } from './municipality-picker.tsx';
import {
  createDepartment,
  type Department,
  type DepartmentInput,
  tenancyKeys,
  updateDepartment,
  useDepartments,
} from './tenancy.api.ts';

const LABELS: Record<string, string> = { name: 'Название', email: 'Электронная почта', phone: 'Телефон' };
const FIELDS = Object.keys(LABELS);

function DepartmentForm({
  municipalityId,
  editing,
  onDone,
  onCancel,
}: {
  municipalityId: number;
  editing: Department | null;
  onDone: (text: string) => void;
  onCancel?: () => void;
}) {
  const client = useQueryClient();
  const prefix = editing ? `dep-edit-${editing.id}` : 'dep-new';
  const [name, setName] = useState(editing?.name ?? '');
  const [email, setEmail] = useState(editing?.email ?? '');
  const [phone, setPhone] = useState(editing?.phone ?? '');
  const form = useFormErrors(prefix, FIELDS);

  const mutation = useMutation({
    mutationFn: () => {
      if (editing) {
        const body: DepartmentInput = {};
        if (name.trim() !== editing.name) body.name = name.trim();
        if ((email.trim() || null) !== editing.email) body.email = email.trim() || null;
        if ((phone.trim() || null) !== editing.phone) body.phone = phone.trim() || null;
        return updateDepartment(editing.id, body);
      }
      return createDepartment(municipalityId, {
        name: name.trim(),
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
      });
    },
    onError: form.fromError,
    onSuccess: async (d) => {
      await client.invalidateQueries({ queryKey: tenancyKeys.departments(municipalityId) });
      if (!editing) {
        setName('');
        setEmail('');
        setPhone('');
      }
      form.clear();
      onDone(editing ? `Подразделение «${d.name}» сохранено.` : `Подразделение «${d.name}» создано.`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      form.show({ name: 'Введите название подразделения.' }, 'Заполните название.');
      return;
    }
    if (
      editing &&
      name.trim() === editing.name &&
      (email.trim() || null) === editing.email &&
      (phone.trim() || null) === editing.phone
    ) {
      form.show({}, 'Вы ничего не изменили.');
      return;
    }
    mutation.mutate();
  };

  return (
    <section className="card form-panel" aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>{editing ? `Изменение: ${editing.name}` : 'Новое подразделение'}</h2>
      <ErrorSummary form={form} labels={LABELS} />
      <form onSubmit={submit} noValidate className="form form--grid">
        <TextField
          id={`${prefix}-name`}
          label={LABELS.name!}
          value={name}
          onValue={setName}
          error={form.errors.name}
          hint="Например: Управление благоустройства"
          fieldClassName="form__wide"
        />
        <TextField
          id={`${prefix}-email`}
          label={LABELS.email!}
          optional
          type="email"
          inputMode="email"
          value={email}
          onValue={setEmail}
          error={form.errors.email}
        />
        <TextField
          id={`${prefix}-phone`}
          label={LABELS.phone!}
          optional
          type="tel"
          inputMode="tel"
          value={phone}
          onValue={setPhone}
          error={form.errors.phone}
          hint="Например: +7 (3842) 58-00-00"
        />
        <div className="actions form__wide">
          <button type="submit" className="button" disabled={mutation.isPending}>
            {mutation.isPending ? 'Сохраняем…' : editing ? 'Сохранить изменения' : 'Создать подразделение'}
          </button>
          {onCancel && (
            <button type="button" className="button button--secondary" onClick={onCancel}>
              Отмена
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function ActiveToggle({ department, onDone }: { department: Department; onDone: (text: string) => void }) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => updateDepartment(department.id, { isActive: !department.isActive }),
    onSuccess: async (d) => {
      await client.invalidateQueries({ queryKey: tenancyKeys.departments(department.municipalityId) });
      onDone(
        d.isActive
          ? `Подразделение «${d.name}» снова действует.`
          : `Подразделение «${d.name}» отключено: новые обращения и поручения ему не направляются.`,
      );
    },
  });
  return (
    <>
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => mutation.mutate()}
        disabled={mutation.isPending}
        aria-label={`${department.isActive ? 'Отключить' : 'Включить'}: ${department.name}`}
      >
        {department.isActive ? 'Отключить' : 'Включить'}
      </button>
      {mutation.isError && (
        <span className="field__error" role="alert">
          {errorMessage(mutation.error)}
        </span>
      )}
    </>
  );
}

export function DepartmentsPage() {
  usePageTitle('Подразделения');
  const { query: municipalities, items } = useManagedMunicipalities();
  const [selected, select] = useSelectedMunicipality(items);
  const municipalityId = typeof selected === 'number' ? selected : null;
  const departments = useDepartments(municipalityId);
  const [editing, setEditing] = useState<Department | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (text: string) => {
    setEditing(null);
    setNotice(text);
  };

  return (
    <>
      <h1>Подразделения</h1>
      <p className="lead">Структурные подразделения администрации: им направляются обращения и поручения.</p>
      {municipalities.isPending && <Loading />}
      {municipalities.isError && <QueryError error={municipalities.error} onRetry={() => municipalities.refetch()} />}
      {items && items.length === 0 && (
        <Alert kind="warning">
          <p>У вас нет муниципалитетов, которыми вы управляете.</p>
        </Alert>
      )}
      {items && items.length > 0 && (
        <MunicipalityPicker
          id="dep-municipality"
          items={items}
          selected={selected}
          onSelect={(v) => {
            setEditing(null);
            setNotice(null);
            select(v);
          }}
        />
      )}
      <Notice text={notice} onClose={() => setNotice(null)} />
      {municipalityId !== null && editing && (
        <DepartmentForm
          key={editing.id}
          municipalityId={municipalityId}
          editing={editing}
          onDone={done}
          onCancel={() => setEditing(null)}
        />
      )}
      {municipalityId !== null && (
        <>
          <h2>Список подразделений</h2>
          {departments.isPending && <Loading />}
          {departments.isError && <QueryError error={departments.error} onRetry={() => departments.refetch()} />}
          {departments.data && departments.data.length === 0 && (
            <EmptyState icon="people" title="Подразделений пока нет">
              <p>Добавьте первое подразделение с помощью формы ниже.</p>
            </EmptyState>
          )}
          {departments.data && departments.data.length > 0 && (
            <div className="table-scroll">
              <table className="table">
                <caption className="visually-hidden">Подразделения</caption>
                <thead>
                  <tr>
                    <th scope="col">Название</th>
                    <th scope="col">Электронная почта</th>
                    <th scope="col">Телефон</th>
                    <th scope="col">Статус</th>
                    <th scope="col">
                      <span className="visually-hidden">Действия</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {departments.data.map((d) => (
                    <tr key={d.id} className={d.isActive ? '' : 'table__row--muted'}>
                      <th scope="row" data-label="Название">
                        {d.name}
                      </th>
                      <td data-label="Почта" className="break">
                        {d.email ?? '—'}
                      </td>
                      <td data-label="Телефон" className="nowrap">
                        {d.phone ?? '—'}
                      </td>
                      <td data-label="Статус">
                        {d.isActive ? <Badge kind="success">действует</Badge> : <Badge kind="neutral">отключено</Badge>}
                      </td>
                      <td className="table__actions">
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          aria-label={`Изменить: ${d.name}`}
                          onClick={() => {
                            setNotice(null);
                            setEditing(d);
                          }}
                        >
                          Изменить
                        </button>
                        <ActiveToggle department={d} onDone={done} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <DepartmentForm key={`new-${municipalityId}`} municipalityId={municipalityId} editing={null} onDone={done} />
        </>
      )}
    </>
  );
}
