import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { PASSWORD_MIN } from '../../../shared/limits.ts';
import { Alert, CheckboxField, ErrorSummary, TextField, useFormErrors, usePageTitle } from '../../app/ui.tsx';
import { register } from './accounts.api.ts';

const FIELDS = ['lastName', 'firstName', 'middleName', 'email', 'password', 'consent'] as const;
const LABELS: Record<string, string> = {
  lastName: 'Фамилия',
  firstName: 'Имя',
  middleName: 'Отчество',
  email: 'Электронная почта',
  password: 'Пароль',
  consent: 'Согласие на обработку персональных данных',
};

/** The consent is its own statement, apart from any terms of use (152-ФЗ ст. 9, as amended by 156-ФЗ). */
export function ConsentText() {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to be read
    <section className="consent-text" tabIndex={0} aria-labelledby="consent-title">
      <p id="consent-title" className="consent-text__title">
        Согласие на обработку персональных данных
      </p>
      <p>
        Регистрируясь на платформе «Отклик», я свободно, своей волей и в своём интересе даю согласие оператору — администрации
        муниципалитета, в которую я обращаюсь через платформу, — на обработку моих персональных данных в соответствии с
        Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных».
      </p>
      <p>
        <strong>Какие данные:</strong> фамилия, имя, отчество, адрес электронной почты.
      </p>
      <p>
        <strong>Цель:</strong> создание и ведение личного кабинета, направление мне уведомлений и ответов администрации.
      </p>
      <p>
        <strong>Действия с данными:</strong> сбор, запись, систематизация, хранение, уточнение, использование, блокирование,
        удаление и уничтожение, с использованием средств автоматизации.
      </p>
      <p>
        <strong>Срок:</strong> до удаления учётной записи. Согласие можно отозвать в любой момент, направив заявление оператору;
        после отзыва данные удаляются в течение 30 дней, если их хранение не требуется по закону.
      </p>
    </section>
  );
}

export function RegisterPage() {
  usePageTitle('Регистрация');
  const [values, setValues] = useState({ lastName: '', firstName: '', middleName: '', email: '', password: '' });
  const [consent, setConsent] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const form = useFormErrors('register', FIELDS);
  const set = (field: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const mutation = useMutation({
    mutationFn: () =>
      register({
        email: values.email.trim(),
        password: values.password,
        lastName: values.lastName.trim(),
        firstName: values.firstName.trim(),
        ...(values.middleName.trim() ? { middleName: values.middleName.trim() } : {}),
      }),
    onError: form.fromError,
    onSuccess: form.clear,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!consent) {
      form.show(
        { consent: 'Без согласия на обработку персональных данных мы не сможем создать личный кабинет.' },
        'Подтвердите согласие.',
      );
      return;
    }
    form.clear();
    mutation.mutate();
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
          <p>Письмо не пришло? Проверьте папку «Спам» или подождите несколько минут.</p>
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
            <legend className="fieldset__legend">Персональные данные</legend>
            <ConsentText />
            <CheckboxField
              id="register-consent"
              label="Я даю согласие на обработку моих персональных данных на условиях, изложенных выше"
              checked={consent}
              onChecked={setConsent}
              error={form.errors.consent}
            />
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
