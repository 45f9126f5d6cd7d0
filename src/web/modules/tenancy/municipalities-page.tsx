import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { MUNICIPALITY_TYPE_NAMES_RU, MUNICIPALITY_TYPES, type MunicipalityType } from '../../../shared/roles.ts';
import { adminScope, hasRole, useMe } from '../../app/session.tsx';
import {
  Badge,
  CheckboxField,
  EmptyState,
  ErrorSummary,
  formatNumber,
  Loading,
  Notice,
  QueryError,
  SelectField,
  TextField,
  useFormErrors,
  usePageTitle,
} from '../../app/ui.tsx';
import {
  createMunicipality,
  type Municipality,
  type UpdateMunicipalityInput,
  updateMunicipality,
  useAdminMunicipalities,
} from './tenancy.api.ts';

const LABELS: Record<string, string> = {
  name: 'Полное название',
  shortName: 'Краткое название',
  slug: 'Адрес в ссылках',
  casePrefix: 'Префикс номеров',
  type: 'Тип',
  oktmo: 'ОКТМО',
  population: 'Население',
  timeZone: 'Часовой пояс',
  isActive: 'Действует',
};
const FIELDS = Object.keys(LABELS);

interface FormValues {
  name: string;
  shortName: string;
  slug: string;
  casePrefix: string;
  type: MunicipalityType;
  oktmo: string;
  population: string;
  timeZone: string;
  isActive: boolean;
}

const EMPTY: FormValues = {
  name: '',
  shortName: '',
  slug: '',
  casePrefix: '',
  type: 'urban_okrug',
  oktmo: '',
  population: '',
  timeZone: 'Asia/Novokuznetsk',
  isActive: true,
};

const valuesOf = (m: Municipality): FormValues => ({
  name: m.name,
  shortName: m.shortName,
  slug: m.slug,
  casePrefix: m.casePrefix,
  type: m.type,
  oktmo: m.oktmo,
  population: m.population === null ? '' : String(m.population),
  timeZone: m.timeZone,
  isActive: m.isActive,
});

/** The fields a PATCH should carry: only what changed (the server refuses an empty change). */
function changes(before: Municipality, v: FormValues): UpdateMunicipalityInput {
  const out: UpdateMunicipalityInput = {};
  if (v.name.trim() !== before.name) out.name = v.name.trim();
  if (v.shortName.trim() !== before.shortName) out.shortName = v.shortName.trim();
  if (v.type !== before.type) out.type = v.type;
  if (v.oktmo.trim() !== before.oktmo) out.oktmo = v.oktmo.trim();
  const population = v.population.trim() === '' ? null : Number(v.population.replace(/\s/g, ''));
  if (population !== before.population) out.population = population;
  if (v.timeZone.trim() !== before.timeZone) out.timeZone = v.timeZone.trim();
  if (v.isActive !== before.isActive) out.isActive = v.isActive;
  return out;
}

function MunicipalityForm({
  editing,
  onDone,
  onCancel,
}: {
  editing: Municipality | null;
  onDone: (text: string) => void;
  onCancel: () => void;
}) {
  const client = useQueryClient();
  const [v, setV] = useState<FormValues>(editing ? valuesOf(editing) : EMPTY);
  const prefix = editing ? `mun-edit-${editing.id}` : 'mun-new';
  const form = useFormErrors(prefix, FIELDS);
  const set = (field: keyof FormValues) => (value: string) => setV((s) => ({ ...s, [field]: value }));

  const mutation = useMutation({
    mutationFn: async () => {
      if (editing) return updateMunicipality(editing.id, changes(editing, v));
      const population = v.population.trim() === '' ? undefined : Number(v.population.replace(/\s/g, ''));
      return createMunicipality({
        name: v.name.trim(),
        shortName: v.shortName.trim(),
        slug: v.slug.trim(),
        casePrefix: v.casePrefix.trim().toUpperCase(),
        type: v.type,
        oktmo: v.oktmo.trim(),
        ...(population === undefined ? {} : { population }),
        ...(v.timeZone.trim() ? { timeZone: v.timeZone.trim() } : {}),
      });
    },
    onError: form.fromError,
    onSuccess: async (m) => {
      await client.invalidateQueries({ queryKey: ['municipalities'] });
      onDone(editing ? `Изменения сохранены: ${m.name}.` : `Муниципалитет «${m.name}» добавлен.`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (editing && Object.keys(changes(editing, v)).length === 0) {
      form.show({}, 'Вы ничего не изменили.');
      return;
    }
    if (v.population.trim() && !/^\d[\d\s]*$/.test(v.population.trim())) {
      form.show({ population: 'Введите целое число без букв и знаков.' }, 'Проверьте поле «Население».');
      return;
    }
    mutation.mutate();
  };

  return (
    <section className="card form-panel" aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>{editing ? `Изменение: ${editing.name}` : 'Новый муниципалитет'}</h2>
      <ErrorSummary form={form} labels={LABELS} />
      <form onSubmit={submit} noValidate className="form form--grid">
        <TextField id={`${prefix}-name`} label={LABELS.name!} value={v.name} onValue={set('name')} error={form.errors.name} />
        <TextField
          id={`${prefix}-shortName`}
          label={LABELS.shortName!}
          value={v.shortName}
          onValue={set('shortName')}
          error={form.errors.shortName}
          hint="Например: Кемерово"
        />
        {!editing && (
          <>
            <TextField
              id={`${prefix}-slug`}
              label={LABELS.slug!}
              value={v.slug}
              onValue={set('slug')}
              error={form.errors.slug}
              hint="Латиница, цифры и дефис, например: kemerovo. Потом не меняется."
              autoCapitalize="none"
              spellCheck={false}
            />
            <TextField
              id={`${prefix}-casePrefix`}
              label={LABELS.casePrefix!}
              value={v.casePrefix}
              onValue={set('casePrefix')}
              error={form.errors.casePrefix}
              hint="2–5 заглавных букв для номеров обращений, например: КЕМ. Потом не меняется."
            />
          </>
        )}
        <SelectField id={`${prefix}-type`} label={LABELS.type!} value={v.type} onValue={set('type')} error={form.errors.type}>
          {MUNICIPALITY_TYPES.map((t) => (
            <option key={t} value={t}>
              {MUNICIPALITY_TYPE_NAMES_RU[t]}
            </option>
          ))}
        </SelectField>
        <TextField
          id={`${prefix}-oktmo`}
          label={LABELS.oktmo!}
          value={v.oktmo}
          onValue={set('oktmo')}
          error={form.errors.oktmo}
          inputMode="numeric"
          hint="8 или 11 цифр"
        />
        <TextField
          id={`${prefix}-population`}
          label={LABELS.population!}
          optional
          value={v.population}
          onValue={set('population')}
          error={form.errors.population}
          inputMode="numeric"
          hint="Число жителей"
        />
        <TextField
          id={`${prefix}-timeZone`}
          label={LABELS.timeZone!}
          value={v.timeZone}
          onValue={set('timeZone')}
          error={form.errors.timeZone}
          hint="Например: Asia/Novokuznetsk (Кузбасс, UTC+7)"
          autoCapitalize="none"
          spellCheck={false}
        />
        {editing && (
          <CheckboxField
            id={`${prefix}-isActive`}
            label="Муниципалитет действует (виден жителям)"
            checked={v.isActive}
            onChecked={(c) => setV((s) => ({ ...s, isActive: c }))}
            error={form.errors.isActive}
          />
        )}
        <div className="actions form__wide">
          <button type="submit" className="button" disabled={mutation.isPending}>
            {mutation.isPending ? 'Сохраняем…' : editing ? 'Сохранить изменения' : 'Добавить муниципалитет'}
          </button>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Отмена
          </button>
        </div>
      </form>
    </section>
  );
}

export function MunicipalitiesPage() {
  const { me } = useMe();
  const regional = hasRole(me, ['regional_admin']);
  usePageTitle(regional ? 'Муниципалитеты региона' : 'Муниципалитет');
  const scope = adminScope(me);
  const query = useAdminMunicipalities();
  const [mode, setMode] = useState<{ kind: 'none' } | { kind: 'create' } | { kind: 'edit'; m: Municipality }>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  const canEdit = (m: Municipality) => scope === 'all' || scope.includes(m.id);
  const done = (text: string) => {
    setMode({ kind: 'none' });
    setNotice(text);
  };
  const items = query.data;

  return (
    <>
      <div className="page-head">
        <h1>{regional ? 'Муниципалитеты региона' : 'Муниципалитет'}</h1>
        {regional && mode.kind === 'none' && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setNotice(null);
              setMode({ kind: 'create' });
            }}
          >
            Добавить муниципалитет
          </button>
        )}
      </div>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {mode.kind === 'create' && <MunicipalityForm editing={null} onDone={done} onCancel={() => setMode({ kind: 'none' })} />}
      {mode.kind === 'edit' && (
        <MunicipalityForm key={mode.m.id} editing={mode.m} onDone={done} onCancel={() => setMode({ kind: 'none' })} />
      )}
      {query.isPending && <Loading />}
      {query.isError && <QueryError error={query.error} onRetry={() => query.refetch()} />}
      {items && items.length === 0 && <EmptyState title="Муниципалитетов пока нет" />}
      {items && items.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Муниципалитеты</caption>
            <thead>
              <tr>
                <th scope="col">Название</th>
                <th scope="col">Тип</th>
                <th scope="col">Население</th>
                <th scope="col">ОКТМО, часовой пояс</th>
                <th scope="col">Статус</th>
                <th scope="col">
                  <span className="visually-hidden">Действия</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <th scope="row" data-label="Название">
                    {m.name}
                    <span className="table__sub">
                      {m.shortName} · префикс {m.casePrefix}
                    </span>
                  </th>
                  <td data-label="Тип">{m.typeName}</td>
                  <td data-label="Население" className="num">
                    {m.population === null ? '—' : formatNumber(m.population)}
                  </td>
                  <td data-label="ОКТМО">
                    {m.oktmo}
                    <span className="table__sub">{m.timeZone}</span>
                  </td>
                  <td data-label="Статус">
                    {m.isActive ? <Badge kind="success">действует</Badge> : <Badge kind="neutral">не действует</Badge>}
                  </td>
                  <td className="table__actions">
                    {canEdit(m) && (
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        aria-label={`Изменить: ${m.name}`}
                        onClick={() => {
                          setNotice(null);
                          setMode({ kind: 'edit', m });
                        }}
                      >
                        Изменить
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
