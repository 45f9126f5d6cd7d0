import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { errorMessage } from '../../app/errors-ru.ts';
import { ErrorSummary, useFormErrors } from '../../app/ui.tsx';
import { uploadAttachment } from '../cases-resident/cases.api.ts';
import { TextAreaField } from '../cases-resident/fields.tsx';
import { type Case, caseAction, casesKeys } from '../cases-staff/cases-staff.api.ts';

const LABELS = { text: 'Что сделано', attachmentId: 'Фото после устранения' };

/**
 * Staff (the executor or a head): a message or an incident is fixed — the answer text and the after-photo, shown on
 * the public report page next to the resident's photo (POST /cases/{id}/mark-fixed, issue 5).
 */
export function MarkFixedForm({ c, onDone }: { c: Case; onDone: (text: string) => void }) {
  const prefix = `fixed-${useId().replace(/:/g, '')}`;
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [photo, setPhoto] = useState<{ name: string; id?: number; progress: number; error?: string } | null>(null);
  const form = useFormErrors(prefix, Object.keys(LABELS));
  const mutation = useMutation({
    mutationFn: () => caseAction(c.id, 'mark-fixed', { text: text.trim(), attachmentId: photo?.id }),
    onSuccess: async (updated) => {
      client.setQueryData(casesKeys.one(c.id), updated);
      await client.invalidateQueries({ queryKey: ['cases', 'queue'] });
      setOpen(false);
      onDone('Отмечено как устранённое; заявитель получил ответ, фото «стало» видно на карте.');
    },
    onError: form.fromError,
  });

  function choose(file: File | undefined) {
    if (!file) return;
    setPhoto({ name: file.name, progress: 0 });
    uploadAttachment(file, (progress) => setPhoto((p) => p && { ...p, progress }))
      .then((a) => setPhoto({ name: file.name, id: a.id, progress: 1 }))
      .catch((error: unknown) => setPhoto({ name: file.name, progress: 0, error: errorMessage(error) }));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!text.trim()) errors.text = 'Напишите, что сделано';
    if (!photo?.id) errors.attachmentId = photo && !photo.error ? 'Дождитесь загрузки фото' : 'Приложите фото после устранения';
    if (Object.keys(errors).length) return form.show(errors, 'Заполните форму.');
    mutation.mutate();
  }

  if (!open) {
    return (
      <button type="button" className="button button--secondary" aria-expanded="false" onClick={() => setOpen(true)}>
        Отметить как устранённое
      </button>
    );
  }
  return (
    <section className="card case-action" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`} className="card__title">
        Отметить как устранённое
      </h3>
      <p className="muted small">Ответ заявителю — этот текст; фото «стало» будет видно всем на странице сообщения на карте.</p>
      <ErrorSummary form={form} labels={LABELS} />
      <form onSubmit={submit} noValidate className="form form--grid">
        <TextAreaField
          id={`${prefix}-text`}
          label={LABELS.text}
          value={text}
          onValue={setText}
          error={form.errors.text}
          rows={3}
        />
        <div className="field form__wide">
          <label htmlFor={`${prefix}-attachmentId`} className="field__label">
            {LABELS.attachmentId}
          </label>
          {form.errors.attachmentId && <p className="field__error">{form.errors.attachmentId}</p>}
          <input
            id={`${prefix}-attachmentId`}
            type="file"
            accept="image/jpeg,image/png,image/webp,image/gif"
            onChange={(e) => {
              choose(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          {photo && (
            <p className={photo.error ? 'field__error' : 'field__hint'} aria-live="polite">
              {photo.name}: {photo.error ?? (photo.id ? 'загружено' : `${Math.round(photo.progress * 100)}%`)}
            </p>
          )}
        </div>
        <div className="actions form__wide">
          <button type="submit" className="button" disabled={mutation.isPending}>
            {mutation.isPending ? 'Отправляем…' : 'Устранено — ответить заявителю'}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
            Отмена
          </button>
        </div>
      </form>
    </section>
  );
}
