import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMe } from '../../app/session.tsx';
import { Alert, ErrorSummary, Icon, Loading, SelectField, TextField, useFormErrors, usePageTitle } from '../../app/ui.tsx';
import { instantOf, isoInZone, localDateInput, localTimeInput, zoneLabel } from '../calendar/zone.ts';
import { useAdminMunicipalities } from '../tenancy/tenancy.api.ts';
import { TextArea } from './case-actions.tsx';
import {
  type Case,
  CHANNEL_NAMES,
  KIND_NAMES,
  nameOf,
  OPERATOR_CHANNELS,
  type RegisterCaseInput,
  registerCase,
  SIMILAR_REASONS,
  STATUS_NAMES,
  useCategories,
  useSimilarForIntake,
} from './cases-staff.api.ts';

const LABELS: Record<string, string> = {
  municipalityId: 'Муниципалитет',
  channel: 'Как поступило',
  receivedAt: 'Дата поступления',
  receivedTime: 'Время поступления',
  lastName: 'Фамилия',
  firstName: 'Имя',
  middleName: 'Отчество',
  answerBy: 'Куда направить ответ',
  postalAddress: 'Почтовый адрес',
  email: 'Электронная почта',
  phone: 'Телефон',
  categoryId: 'Категория',
  kind: 'Вид обращения',
  text: 'Текст обращения',
  address: 'Адрес проблемы',
};
const FIELDS = Object.keys(LABELS);

/** Channels through which the text is written down by the applicant (59-ФЗ ст. 7 ч. 1 applies in full). */
const WRITTEN = ['letter', 'reception'];

const newKey = () =>
  typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

interface Values {
  channel: string;
  receivedAt: string;
  receivedTime: string;
  lastName: string;
  firstName: string;
  middleName: string;
  answerBy: string;
  postalAddress: string;
  email: string;
  phone: string;
  categoryId: string;
  kind: string;
  text: string;
  address: string;
}

const blank = (zone: string | null): Values => ({
  channel: 'letter',
  receivedAt: zone ? localDateInput(Date.now(), zone) : '',
  receivedTime: zone ? localTimeInput(Date.now(), zone) : '',
  lastName: '',
  firstName: '',
  middleName: '',
  answerBy: 'post',
  postalAddress: '',
  email: '',
  phone: '',
  categoryId: '',
  kind: 'statement',
  text: '',
  address: '',
});

function RegisterForm({ municipalityId, zone }: { municipalityId: number; zone: string }) {
  const client = useQueryClient();
  const [values, setValues] = useState<Values>(() => blank(zone));
  // One key per filling of the form: a double click or a retry after a lost answer gives back the same case.
  const [key, setKey] = useState(newKey);
  const [created, setCreated] = useState<Case | null>(null);
  const form = useFormErrors('reg', FIELDS);
  const categories = useCategories(municipalityId);
  const set = (field: keyof Values) => (v: string) => setValues((s) => ({ ...s, [field]: v }));
  const written = WRITTEN.includes(values.channel);

  const mutation = useMutation({
    mutationFn: (input: RegisterCaseInput) => registerCase(input, key),
    onError: form.fromError,
    onSuccess: async (c) => {
      form.clear();
      setCreated(c);
      setValues(blank(zone));
      setKey(newKey());
      await client.invalidateQueries({ queryKey: ['cases', 'queue'] });
      window.scrollTo(0, 0);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const errors: Record<string, string> = {};
    const received = instantOf(values.receivedAt, values.receivedTime, zone);
    if (received === null) errors.receivedAt = 'Укажите дату и время поступления.';
    else if (received > Date.now() + 60_000) errors.receivedAt = 'Дата поступления не может быть в будущем.';
    if (!values.text.trim()) errors.text = 'Введите текст обращения.';
    // The 59-ФЗ ст. 7 checks (surname, an address for the answer) are the server's: its 400 names the fields.
    if (Object.keys(errors).length) {
      form.show(errors, 'Исправьте ошибки в форме.');
      return;
    }
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    const input: RegisterCaseInput = {
      municipalityId,
      channel: values.channel,
      kind: values.kind,
      text: values.text.trim(),
      receivedAt: isoInZone(received!, zone),
      answerBy: values.answerBy,
    };
    const optional = {
      lastName: opt(values.lastName),
      firstName: opt(values.firstName),
      middleName: opt(values.middleName),
      email: opt(values.email),
      phone: opt(values.phone),
      postalAddress: opt(values.postalAddress),
      address: opt(values.address),
      categoryId: values.categoryId ? Number(values.categoryId) : undefined,
    };
    for (const [k, v] of Object.entries(optional)) if (v !== undefined) (input as unknown as Record<string, unknown>)[k] = v;
    mutation.mutate(input);
  };

  return (
    <>
      {created && (
        <Alert kind="success" title={`Обращение зарегистрировано: № ${created.number}`}>
          <p>
            <Link to={`/staff/cases/${created.id}`}>Открыть обращение {created.number}</Link>
          </p>
        </Alert>
      )}
      <ErrorSummary form={form} labels={LABELS} />
      <form onSubmit={submit} noValidate className="form">
        <fieldset className="fieldset">
          <legend className="fieldset__legend">Поступление</legend>
          <p className="field__hint">
            Письмо могло прийти раньше, чем его регистрируют: укажите день и время поступления — с них считается срок регистрации.
            Время муниципалитета ({zoneLabel(zone)}).
          </p>
          <div className="form--filters case-register__received">
            <SelectField id="reg-channel" label={LABELS.channel!} value={values.channel} onValue={set('channel')}>
              {OPERATOR_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_NAMES[c]}
                </option>
              ))}
            </SelectField>
            <TextField
              id="reg-receivedAt"
              label={LABELS.receivedAt!}
              type="date"
              value={values.receivedAt}
              onValue={set('receivedAt')}
              error={form.errors.receivedAt}
            />
            <TextField
              id="reg-receivedTime"
              label={LABELS.receivedTime!}
              type="time"
              value={values.receivedTime}
              onValue={set('receivedTime')}
              error={form.errors.receivedTime}
            />
          </div>
        </fieldset>

        <fieldset className="fieldset">
          <legend className="fieldset__legend">Заявитель</legend>
          {written && (
            <p className="field__hint">
              Письменное обращение содержит фамилию заявителя и адрес для ответа — почтовый или электронный (59-ФЗ, ст. 7 ч. 1).
            </p>
          )}
          <div className="form--grid case-register__grid">
            <TextField
              id="reg-lastName"
              label={LABELS.lastName!}
              value={values.lastName}
              onValue={set('lastName')}
              error={form.errors.lastName}
              optional={!written}
              autoComplete="off"
            />
            <TextField
              id="reg-firstName"
              label={LABELS.firstName!}
              value={values.firstName}
              onValue={set('firstName')}
              error={form.errors.firstName}
              optional
              autoComplete="off"
            />
            <TextField
              id="reg-middleName"
              label={LABELS.middleName!}
              value={values.middleName}
              onValue={set('middleName')}
              error={form.errors.middleName}
              optional
              autoComplete="off"
            />
            <SelectField
              id="reg-answerBy"
              label={LABELS.answerBy!}
              value={values.answerBy}
              onValue={set('answerBy')}
              error={form.errors.answerBy}
            >
              <option value="post">Почтой</option>
              <option value="email">По электронной почте</option>
            </SelectField>
            <TextField
              id="reg-postalAddress"
              label={LABELS.postalAddress!}
              value={values.postalAddress}
              onValue={set('postalAddress')}
              error={form.errors.postalAddress}
              optional={values.answerBy !== 'post' || !written}
              hint="Индекс, город, улица, дом, квартира"
              fieldClassName="form__wide"
              autoComplete="off"
            />
            <TextField
              id="reg-email"
              label={LABELS.email!}
              type="email"
              inputMode="email"
              value={values.email}
              onValue={set('email')}
              error={form.errors.email}
              optional={values.answerBy !== 'email'}
              autoComplete="off"
            />
            <TextField
              id="reg-phone"
              label={LABELS.phone!}
              type="tel"
              inputMode="tel"
              value={values.phone}
              onValue={set('phone')}
              error={form.errors.phone}
              optional
              autoComplete="off"
            />
          </div>
        </fieldset>

        <fieldset className="fieldset">
          <legend className="fieldset__legend">Обращение</legend>
          <div className="form--grid case-register__grid">
            <SelectField
              id="reg-categoryId"
              label={LABELS.categoryId!}
              value={values.categoryId}
              onValue={set('categoryId')}
              error={form.errors.categoryId}
              optional
              hint="По категории обращение направляется в подразделение."
            >
              <option value="">Без категории</option>
              {categories.data
                ?.filter((c) => c.isActive)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
            </SelectField>
            <SelectField id="reg-kind" label={LABELS.kind!} value={values.kind} onValue={set('kind')} error={form.errors.kind}>
              {Object.entries(KIND_NAMES).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </SelectField>
            <TextArea
              id="reg-text"
              label={LABELS.text!}
              value={values.text}
              onValue={set('text')}
              error={form.errors.text}
              rows={8}
              hint={values.channel === 'phone' ? 'Запишите суть обращения со слов заявителя.' : undefined}
            />
            <TextField
              id="reg-address"
              label={LABELS.address!}
              value={values.address}
              onValue={set('address')}
              error={form.errors.address}
              optional
              hint="Где находится то, о чём обращение (если это место)."
              fieldClassName="form__wide"
            />
          </div>
        </fieldset>
        <SimilarBeforeRegistering
          municipalityId={municipalityId}
          categoryId={values.categoryId}
          text={values.text}
          email={values.email}
        />
        <div className="actions">
          <button type="submit" className="button button--large" disabled={mutation.isPending}>
            {mutation.isPending ? 'Регистрируем…' : 'Зарегистрировать'}
          </button>
        </div>
      </form>
    </>
  );
}

/** Waits until typing pauses, so the server is asked once per thought rather than once per key. */
function useSettledValue<T>(value: T, ms = 600): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function SimilarBeforeRegistering(props: { municipalityId: number; categoryId: string; text: string; email: string }) {
  const text = useSettledValue(props.text.trim());
  const email = useSettledValue(props.email.trim());
  const similar = useSimilarForIntake({
    municipalityId: props.municipalityId,
    text,
    ...(props.categoryId ? { categoryId: Number(props.categoryId) } : {}),
    ...(/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? { email } : {}),
  });
  if (!similar.data || similar.data.length === 0) return null;
  return (
    <section className="alert alert--info case-register__similar" aria-labelledby="reg-similar-title">
      <p id="reg-similar-title" className="alert__title">
        Похожие открытые обращения
      </p>
      <p>Проверьте, не повторное ли это обращение: после регистрации похожие можно объединить на странице обращения.</p>
      <ul className="alert__list">
        {similar.data.map((s) => (
          <li key={s.id}>
            <Link to={`/staff/cases/${s.id}`} target="_blank" rel="noopener" className="case-register__similar-link">
              {s.number}
            </Link>{' '}
            ({nameOf(SIMILAR_REASONS, s.reason).toLowerCase()}, {nameOf(STATUS_NAMES, s.status).toLowerCase()}):{' '}
            <span className="case-register__similar-text">{s.text}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RegisterCasePage() {
  usePageTitle('Регистрация обращения');
  const { me } = useMe();
  const municipalities = useAdminMunicipalities();
  const granted = [
    ...new Set(
      (me?.roles ?? [])
        .filter((g) => ['operator', 'municipal_admin'].includes(g.role) && g.municipalityId !== null)
        .map((g) => g.municipalityId as number),
    ),
  ];
  const regional = me?.roles.some((g) => g.role === 'regional_admin');
  const choices = (municipalities.data ?? []).filter((m) => m.isActive && (regional || granted.includes(m.id)));
  const [chosen, setChosen] = useState<string>('');
  const municipality = choices.find((m) => String(m.id) === chosen) ?? choices[0];

  return (
    <>
      <h1>Регистрация обращения</h1>
      <p className="lead">
        Обращение, поступившее письмом, по телефону, на личном приёме или на встрече с жителями. Регистрируется в течение 3 дней с
        момента поступления (59-ФЗ, ст. 8 ч. 2).
      </p>
      {municipalities.isPending && <Loading />}
      {municipalities.data && choices.length === 0 && (
        <Alert kind="warning">
          <p>Вы не регистрируете обращения ни в одном муниципалитете.</p>
        </Alert>
      )}
      {choices.length > 1 && (
        <SelectField
          id="reg-municipalityId"
          label={LABELS.municipalityId!}
          value={String(municipality?.id ?? '')}
          onValue={setChosen}
        >
          {choices.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
      )}
      {choices.length === 1 && municipality && (
        <p className="picker-static">
          <Icon name="pin" /> Муниципалитет: <strong>{municipality.name}</strong>
        </p>
      )}
      {municipality && (
        <section className="card form-panel" aria-label="Новое обращение">
          <RegisterForm key={municipality.id} municipalityId={municipality.id} zone={municipality.timeZone} />
        </section>
      )}
      <p>
        <Link to="/staff/cases">← К списку обращений</Link>
      </p>
    </>
  );
}
