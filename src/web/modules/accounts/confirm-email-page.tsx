import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../app/errors-ru.ts';
import { ME_KEY, useMe } from '../../app/session.tsx';
import { Alert, Loading, usePageTitle } from '../../app/ui.tsx';
import { confirmEmail } from './accounts.api.ts';

/** Opened from the link in the confirmation letter: confirms the address once, on arrival. */
export function ConfirmEmailPage() {
  usePageTitle('Подтверждение адреса');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { me } = useMe();
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => confirmEmail(token),
    onSuccess: () => client.invalidateQueries({ queryKey: ME_KEY }),
  });
  // The token works once: a ref keeps React's development double-run of effects from spending it twice.
  const started = useRef(false);
  const { mutate } = mutation;
  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    mutate();
  }, [token, mutate]);

  return (
    <div className="container page page--narrow">
      <div className="card">
        <h1>Подтверждение адреса электронной почты</h1>
        {!token && (
          <Alert kind="error" title="Ссылка неполная">
            <p>Откройте ссылку из письма целиком или скопируйте её в адресную строку браузера.</p>
          </Alert>
        )}
        {token && (mutation.isIdle || mutation.isPending) && <Loading text="Подтверждаем адрес…" />}
        {mutation.isSuccess && (
          <>
            <Alert kind="success" title="Адрес подтверждён">
              <p>Спасибо! Теперь вы будете получать уведомления и ответы на этот адрес.</p>
            </Alert>
            <div className="actions">
              {me ? (
                <Link to="/cabinet" className="button">
                  В личный кабинет
                </Link>
              ) : (
                <Link to="/login" className="button">
                  Войти
                </Link>
              )}
            </div>
          </>
        )}
        {mutation.isError && (
          <>
            <Alert kind="error" title="Не удалось подтвердить адрес">
              <p>{errorMessage(mutation.error)}</p>
            </Alert>
            <p>
              Если адрес уже подтверждён, просто{' '}
              {me ? <Link to="/cabinet">откройте личный кабинет</Link> : <Link to="/login">войдите</Link>}. Если ссылка устарела,
              в личном кабинете нажмите «Отправить письмо ещё раз» — придёт новая ссылка.
            </p>
            <div className="actions">
              <Link to={me ? '/cabinet' : '/login?next=%2Fcabinet'} className="button">
                {me ? 'В личный кабинет' : 'Войти в личный кабинет'}
              </Link>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
