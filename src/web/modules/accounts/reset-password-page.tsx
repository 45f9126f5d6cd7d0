import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PASSWORD_MIN } from '../../../shared/limits.ts';
import { ApiError } from '../../app/api.ts';
import { Alert, CheckboxField, ErrorSummary, TextField, useFormErrors, usePageTitle } from '../../app/ui.tsx';
import { confirmPasswordReset, requestPasswordReset } from './accounts.api.ts';

function RequestForm() {
  const [email, setEmail] = useState('');
  const form = useFormErrors('reset', ['email']);
  const mutation = useMutation({
    mutationFn: () => requestPasswordReset(email.trim()),
    onError: form.fromError,
    onSuccess: form.clear,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) {
      form.show({ email: 'Введите адрес электронной почты.' }, 'Заполните поле.');
      return;
    }
    mutation.mutate();
  };

  if (mutation.isSuccess) {
    return (
      <>
        <h1>Проверьте почту</h1>
        <Alert kind="success" title="Запрос принят">
          <p>
            Если на адрес <strong>{email.trim()}</strong> зарегистрирована учётная запись, мы отправили на него письмо со ссылкой
            для смены пароля. Ссылка действует 1 час.
          </p>
        </Alert>
        <p>
          <Link to="/login">Вернуться ко входу</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1>Восстановление пароля</h1>
      <p className="lead">
        Укажите адрес, с которым вы регистрировались. Мы пришлём ссылку, по которой можно задать новый пароль.
      </p>
      <ErrorSummary form={form} labels={{ email: 'Электронная почта' }} />
      <form onSubmit={submit} noValidate className="form">
        <TextField
          id="reset-email"
          label="Электронная почта"
          type="email"
          inputMode="email"
          autoComplete="email"
          value={email}
          onValue={setEmail}
          error={form.errors.email}
        />
        <div className="actions">
          <button type="submit" className="button button--large" disabled={mutation.isPending}>
            {mutation.isPending ? 'Отправляем…' : 'Получить ссылку'}
          </button>
          <Link to="/login">Я вспомнил пароль</Link>
        </div>
      </form>
    </>
  );
}

function NewPasswordForm({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [show, setShow] = useState(false);
  // A bad or spent token comes back as a `token` detail: it belongs to the form, not to a field.
  const form = useFormErrors('newpass', ['password', 'repeat']);
  const mutation = useMutation({
    mutationFn: () => confirmPasswordReset(token, password),
    onError: form.fromError,
    onSuccess: form.clear,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) {
      form.show({ repeat: 'Пароли не совпадают.' }, 'Пароли не совпадают.');
      return;
    }
    mutation.mutate();
  };

  if (mutation.isSuccess) {
    return (
      <>
        <h1>Пароль изменён</h1>
        <Alert kind="success" title="Готово">
          <p>Войдите с новым паролем. Все прежние сеансы входа завершены.</p>
        </Alert>
        <div className="actions">
          <Link to="/login" className="button">
            Войти
          </Link>
        </div>
      </>
    );
  }

  return (
    <>
      <h1>Новый пароль</h1>
      <ErrorSummary form={form} labels={{ password: 'Новый пароль', repeat: 'Повторите пароль' }} />
      {mutation.error instanceof ApiError && mutation.error.code === 'TOKEN_INVALID' && (
        <p>
          <Link to="/reset-password">Запросить новую ссылку</Link>
        </p>
      )}
      <form onSubmit={submit} noValidate className="form">
        <TextField
          id="newpass-password"
          label="Новый пароль"
          type={show ? 'text' : 'password'}
          autoComplete="new-password"
          value={password}
          onValue={setPassword}
          error={form.errors.password}
          hint={`Не короче ${PASSWORD_MIN} символов. Не используйте имя, фамилию или адрес почты.`}
        />
        <TextField
          id="newpass-repeat"
          label="Повторите пароль"
          type={show ? 'text' : 'password'}
          autoComplete="new-password"
          value={repeat}
          onValue={setRepeat}
          error={form.errors.repeat}
        />
        <CheckboxField id="newpass-show" label="Показать пароль" checked={show} onChecked={setShow} />
        <div className="actions">
          <button type="submit" className="button button--large" disabled={mutation.isPending}>
            {mutation.isPending ? 'Сохраняем…' : 'Сохранить пароль'}
          </button>
        </div>
      </form>
    </>
  );
}

/** /reset-password asks for the address; /reset-password?token=… (the link from the letter) sets the new password. */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  usePageTitle(token ? 'Новый пароль' : 'Восстановление пароля');
  return (
    <div className="container page page--narrow">
      <div className="card">{token ? <NewPasswordForm token={token} /> : <RequestForm />}</div>
    </div>
  );
}
