import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../app/api.ts';
import { errorMessage } from '../../app/errors-ru.ts';
import { ME_KEY } from '../../app/session.tsx';
import { resendConfirmation } from '../accounts/accounts.api.ts';

/** The unconfirmed-address notice, with a new letter on request (the server sends at most one a minute). */
export function EmailConfirmationNotice({ email }: { email: string }) {
  const client = useQueryClient();
  const resend = useMutation({
    mutationFn: resendConfirmation,
    onSuccess: (result) => {
      // Confirmed in another tab or on another device meanwhile: show it as confirmed.
      if (result.alreadyConfirmed) void client.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const limited = resend.error instanceof ApiError && resend.error.code === 'RATE_LIMITED';

  return (
    <div className="alert alert--warning email-notice">
      <p className="alert__title">Адрес ещё не подтверждён</p>
      <p>
        При регистрации мы отправили письмо со ссылкой. Откройте её, чтобы подтвердить адрес: на него будут приходить ответы и
        уведомления. Ссылка действует 3 дня.
      </p>
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => resend.mutate()}
        disabled={resend.isPending}
      >
        {resend.isPending ? 'Отправляем…' : 'Отправить письмо ещё раз'}
      </button>
      {/* Always present, so screen readers announce what appears in it. */}
      <div aria-live="polite" className="email-notice__result">
        {resend.isSuccess && (
          <p className="result result--success">
            {resend.data.alreadyConfirmed ? (
              'Адрес уже подтверждён — новое письмо не нужно.'
            ) : (
              <>
                Письмо отправлено на адрес <strong className="break">{email}</strong>. Откройте ссылку из него; если письма нет
                несколько минут, проверьте папку «Спам».
              </>
            )}
          </p>
        )}
        {resend.isError && (
          <p className={`result ${limited ? 'result--warning' : 'result--error'}`}>
            {!limited && <span className="visually-hidden">Ошибка: </span>}
            {errorMessage(resend.error)}
          </p>
        )}
      </div>
    </div>
  );
}
