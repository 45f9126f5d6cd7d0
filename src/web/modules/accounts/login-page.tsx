import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { safeNext } from '../../app/guards.tsx';
import { ME_KEY, useMe } from '../../app/session.tsx';
import { Alert, CheckboxField, ErrorSummary, TextField, useFormErrors, usePageTitle } from '../../app/ui.tsx';
import { login, type Me } from './accounts.api.ts';

const FIELDS = ['email', 'password'] as const;
const LABELS = { email: 'Электронная почта', password: 'Пароль' };

const homeOf = (me: Me) => (me.isStaff ? '/staff' : '/cabinet');

export function LoginPage() {
  usePageTitle('Вход');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { me } = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const form = useFormErrors('login', FIELDS);

  const mutation = useMutation({
    mutationFn: () => login(email.trim(), password),
    onError: form.fromError,
    onSuccess: (user) => {
      // Another person may have used this browser: drop everything cached for the previous session.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      client.setQueryData(ME_KEY, user);
      navigate(next ?? homeOf(user), { replace: true });
    },
  });

  if (me && !mutation.isPending && !mutation.isSuccess) return <Navigate to={next ?? homeOf(me)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = 'Введите адрес электронной почты.';
    if (!password) missing.password = 'Введите пароль.';
    if (Object.keys(missing).length) {
      form.show(missing, 'Заполните поля формы.');
      return;
    }
    form.clear();
    mutation.mutate();
  };

  return (
    <div className="container page page--narrow">
      <div className="card">
        <h1>Вход</h1>
        {next && (
          <Alert kind="info">
            <p>Войдите, чтобы открыть эту страницу.</p>
          </Alert>
        )}
        <ErrorSummary form={form} labels={LABELS} />
        <form onSubmit={submit} noValidate className="form">
          <TextField
            id="login-email"
            label="Электронная почта"
            type="email"
            inputMode="email"
            autoComplete="username"
            value={email}
            onValue={setEmail}
            error={form.errors.email}
          />
          <TextField
            id="login-password"
            label="Пароль"
            type={showPassword ? 'text' : 'password'}
            autoComplete="current-password"
            value={password}
            onValue={setPassword}
            error={form.errors.password}
          />
          <CheckboxField id="login-show-password" label="Показать пароль" checked={showPassword} onChecked={setShowPassword} />
          <div className="actions">
            <button type="submit" className="button button--large" disabled={mutation.isPending}>
              {mutation.isPending ? 'Входим…' : 'Войти'}
            </button>
            <Link to="/reset-password">Забыли пароль?</Link>
          </div>
        </form>
        <hr className="divider" />
        <p>
          Нет учётной записи? <Link to="/register">Зарегистрируйтесь</Link> — это займёт пару минут.
        </p>
      </div>
    </div>
  );
}
