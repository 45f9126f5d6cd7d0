import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { PASSWORD_MIN } from '../../../shared/limits.ts';
import { ApiError } from '../../app/api.ts';
import { Alert, CheckboxField, ErrorSummary, Loading, TextField, useFormErrors, usePageTitle } from '../../app/ui.tsx';
import { register } from './accounts.api.ts';
import { reloadConsentDocument, useConsentDocument } from './consent.api.ts';
import { ConsentTextDetails } from './consent-text.tsx';

const FIELDS = ['lastName', 'firstName', 'middleName', 'email', 'password', 'consent'] as const;
const LABELS: Record<string, string> = {
  lastName: 'Фамилия',
  firstName: 'Имя',
  middleName: 'Отчество',
  email: 'Электронная почта',
  password: 'Пароль',
  consent: 'Согласие на обработку персональных данных',
};

export function RegisterPage() {
  usePageTitle('Регистрация');
  const [values, setValues] = useState({ lastName: '', firstName: '', middleName: '', email: '', password: '' });
  const [consent, setConsent] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const form = useFormErrors('register', FIELDS);
  const set = (field: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const client = useQueryClient();
  const consentDoc = useConsentDocument();

  const mutation = useMutation({
    mutationFn: register,
    onError: (error) => {
      form.fromError(error);
      // The text changed since the page was opened: show the new one and ask again.
      if (error instanceof ApiError && error.details.some((d) => d.field.startsWith('consent'))) {
        setConsent(false);
        void reloadConsentDocument(client);
      }
    },
    onSuccess: form.clear,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.clear();
    mutation.mutate({
      email: values.email.trim(),
      password: values.password,
      lastName: values.lastName.trim(),
      firstName: values.firstName.trim(),
      ...(values.middleName.trim() ? { middleName: values.middleName.trim() } : {}),
      // The consent is optional (appeals are handled under 59-ФЗ without it): sent only when ticked.
      ...(consent && consentDoc.data ? { consent: { version: consentDoc.data.version } } : {}),
    });
  };

  if (mutation.isSuccess) {
    return (
      <div className="container page page--narrow">
        <div className="card">
          <h1>Проверьте почту</h1>
          <Alert kind="success" title="Учётная запись создана">
            <p>
              Мы отправили письмо на адрес <strong>{mutation.data.user.email}</strong>. Откройте ссылку из письма, чтобы
              подтвердить адрес. Ссылка действует 3 дня.
            </p>
          </Alert>
          <p>
            Письмо не пришло? Проверьте папку «Спам» или подождите несколько минут. Новое письмо можно заказать в личном кабинете.
          </p>
          <p>
            {mutation.variables.consent
              ? 'Согласие на обработку персональных данных сохранено. Отозвать его можно в личном кабинете.'
              : 'Согласие на обработку персональных данных вы не дали. Если передумаете, его можно дать в личном кабинете.'}
          </p>
          <div className="actions">
            <Link to="/login" className="button">
              Войти
            </Link>
          </div>
        </div>
      </div>
    );
  }

  return (
    <div className="container page page--narrow">
      <div className="card">
        <h1>Регистрация</h1>
        <p className="lead">Личный кабинет нужен, чтобы подавать обращения и получать ответы.</p>
        <p className="muted">Все поля, кроме отмеченных «необязательно», нужно заполнить.</p>
        <ErrorSummary form={form} labels={LABELS} />
        <form onSubmit={submit} noValidate className="form">
          <fieldset className="fieldset">
            <legend className="fieldset__legend">О вас</legend>
            <TextField
              id="register-lastName"
              label="Фамилия"
              value={values.lastName}
              onValue={set('lastName')}
              error={form.errors.lastName}
              autoComplete="family-name"
            />
            <TextField
              id="register-firstName"
              label="Имя"
              value={values.firstName}
              onValue={set('firstName')}
              error={form.errors.firstName}
              autoComplete="given-name"
            />
            <TextField
              id="register-middleName"
              label="Отчество"
              optional
              value={values.middleName}
              onValue={set('middleName')}
              error={form.errors.middleName}
              autoComplete="additional-name"
            />
          </fieldset>
          <fieldset className="fieldset">
            <legend className="fieldset__legend">Вход в личный кабинет</legend>
            <TextField
              id="register-email"
              label="Электронная почта"
              type="email"
              inputMode="email"
              value={values.email}
              onValue={set('email')}
              error={form.errors.email}
              autoComplete="email"
              hint="На этот адрес придёт ссылка для подтверждения."
            />
            <TextField
              id="register-password"
              label="Пароль"
              type={showPassword ? 'text' : 'password'}
              value={values.password}
              onValue={set('password')}
              error={form.errors.password}
              autoComplete="new-password"
              hint={`Не короче ${PASSWORD_MIN} символов. Не используйте имя, фамилию или адрес почты.`}
            />
            <CheckboxField
              id="register-show-password"
              label="Показать пароль"
              checked={showPassword}
              onChecked={setShowPassword}
            />
          </fieldset>
          <fieldset className="fieldset">
            <legend className="fieldset__legend">Согласие на обработку персональных данных</legend>
            <p className="muted">
              Согласие не обязательно: без него вы тоже можете зарегистрироваться и подавать обращения — их рассматривают по
              Федеральному закону № 59-ФЗ. Дать или отозвать согласие можно в любой момент в личном кабинете.
            </p>
            <CheckboxField
              id="register-consent"
              label="Я даю согласие на обработку моих персональных данных"
              optional
              checked={consent}
              onChecked={setConsent}
              disabled={!consentDoc.data}
              error={form.errors.consent}
            />
            <div className="consent-after-checkbox">
              {consentDoc.isPending && <Loading text="Загружаем текст согласия…" />}
              {consentDoc.isError && (
                <Alert kind="warning" title="Текст согласия не загрузился">
                  <p>Без него согласие дать нельзя, но зарегистрироваться можно. Согласие можно будет дать в личном кабинете.</p>
                  <button type="button" className="button button--secondary button--small" onClick={() => consentDoc.refetch()}>
                    Загрузить ещё раз
                  </button>
                </Alert>
              )}
              {consentDoc.data && <ConsentTextDetails id="register-consent-text" doc={consentDoc.data} />}
            </div>
          </fieldset>
          <div className="actions">
            <button type="submit" className="button button--large" disabled={mutation.isPending}>
              {mutation.isPending ? 'Регистрируем…' : 'Зарегистрироваться'}
            </button>
          </div>
          <p className="form__after">
            Уже зарегистрированы? <Link to="/login">Войдите</Link>
          </p>
        </form>
      </div>
    </div>
  );
}
