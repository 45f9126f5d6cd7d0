import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { errorMessage } from '../../app/errors-ru.ts';
import { ErrorSummary, SelectField, TextField, useFormErrors } from '../../app/ui.tsx';
import { MarkFixedForm } from '../map/mark-fixed-form.tsx';
import type { Person } from './case-bits.tsx';
import { type Case, caseAction, casesKeys, REGIME_NAMES, RESULT_NAMES, useAnswerTemplates } from './cases-staff.api.ts';

/** Runs one workflow action; the server answers with the card as it now is, which replaces the cached one. */
function useAction(c: Case, action: string, onDone: (text: string) => void, done: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => caseAction(c.id, action, body),
    onSuccess: async (updated) => {
      client.setQueryData(casesKeys.one(c.id), updated);
      await client.invalidateQueries({ queryKey: ['cases', 'queue'] });
      onDone(done);
    },
  });
}

function TextArea({
  id,
  label,
  value,
  onValue,
  error,
  hint,
  optional,
  rows = 5,
}: {
  id: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  rows?: number;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field form__wide${error ? ' field--error' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
        {optional && <span className="field__optional"> (необязательно)</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error">
          <span className="visually-hidden">Ошибка: </span>
          {error}
        </p>
      )}
      <textarea
        id={id}
        className="input textarea"
        rows={rows}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        required={!optional}
      />
    </div>
  );
}

export { TextArea };

interface FormSpec {
  action: string;
  /** The button that opens the form, and its heading. */
  title: string;
  submit: string;
  done: string;
  labels: Record<string, string>;
  open?: boolean;
  danger?: boolean;
  hint?: ReactNode;
  render: (p: {
    id: (field: string) => string;
    errors: Record<string, string>;
    values: Record<string, string>;
    set: (field: string) => (v: string) => void;
    setMany: (v: Record<string, string>) => void;
  }) => ReactNode;
  initial?: Record<string, string>;
  /** The request body, or per-field messages when the form is not ready to send. */
  body: (values: Record<string, string>) => Record<string, unknown> | { errors: Record<string, string> };
}

/**
 * One action as a small form next to the card: closed behind its button unless it is the reader's next job;
 * the server's refusal (status changed, a 59-ФЗ rule) is shown in Russian inside the form.
 */
function ActionForm({ c, spec, onDone }: { c: Case; spec: FormSpec; onDone: (text: string) => void }) {
  const uid = useId().replace(/:/g, '');
  const prefix = `act-${spec.action}-${uid}`;
  const [open, setOpen] = useState(spec.open ?? false);
  const [values, setValues] = useState<Record<string, string>>(spec.initial ?? {});
  const form = useFormErrors(prefix, Object.keys(spec.labels));
  const mutation = useAction(
    c,
    spec.action,
    (text) => {
      form.clear();
      setOpen(false);
      onDone(text);
    },
    spec.done,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = spec.body(values);
    if ('errors' in body && typeof body.errors === 'object' && body.errors !== null && !Array.isArray(body.errors)) {
      form.show(body.errors as Record<string, string>, 'Заполните форму.');
      return;
    }
    mutation.mutate(body, { onError: form.fromError });
  };
  if (!open) {
    return (
      <button
        type="button"
        className={`button ${spec.danger ? 'button--secondary' : 'button--secondary'}`}
        aria-expanded="false"
        onClick={() => setOpen(true)}
      >
        {spec.title}
      </button>
    );
  }
  return (
    <section className="card case-action" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`} className="card__title">
        {spec.title}
      </h3>
      {spec.hint && <p className="muted small">{spec.hint}</p>}
      <ErrorSummary form={form} labels={spec.labels} />
      <form onSubmit={submit} noValidate className="form form--grid">
        {spec.render({
          id: (field) => `${prefix}-${field}`,
          errors: form.errors,
          values,
          set: (field) => (v) => setValues((s) => ({ ...s, [field]: v })),
          setMany: (v) => setValues((s) => ({ ...s, ...v })),
        })}
        <div className="actions form__wide">
          <button type="submit" className={`button${spec.danger ? ' button--danger' : ''}`} disabled={mutation.isPending}>
            {mutation.isPending ? 'Отправляем…' : spec.submit}
          </button>
          {!spec.open && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                form.clear();
                setOpen(false);
              }}
            >
              Отмена
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** An action with no input: one button, its refusal beside it. */
function ActionButton({
  c,
  action,
  label,
  done,
  onDone,
}: {
  c: Case;
  action: string;
  label: string;
  done: string;
  onDone: (text: string) => void;
}) {
  const mutation = useAction(c, action, onDone, done);
  return (
    <span className="case-action-button">
      <button type="button" className="button" onClick={() => mutation.mutate({})} disabled={mutation.isPending}>
        {mutation.isPending ? 'Отправляем…' : label}
      </button>
      {mutation.isError && (
        <span className="field__error" role="alert">
          {errorMessage(mutation.error)}
        </span>
      )}
    </span>
  );
}

const required = (values: Record<string, string>, labels: Record<string, string>, fields: string[]) => {
  const errors: Record<string, string> = {};
  for (const f of fields) if (!values[f]?.trim()) errors[f] = `Заполните поле «${labels[f]}».`;
  return errors;
};

function commentSpec(action: string, title: string, submit: string, done: string, hint: ReactNode): FormSpec {
  const labels = { comment: 'Комментарий' };
  return {
    action,
    title,
    submit,
    done,
    labels,
    hint,
    danger: true,
    render: ({ id, errors, values, set }) => (
      <TextArea
        id={id('comment')}
        label={labels.comment}
        value={values.comment ?? ''}
        onValue={set('comment')}
        error={errors.comment}
        rows={3}
      />
    ),
    body: (v) => {
      const errors = required(v, labels, ['comment']);
      return Object.keys(errors).length ? { errors } : { comment: v.comment!.trim() };
    },
  };
}

function DraftAnswerForm({ c, onDone }: { c: Case; onDone: (text: string) => void }) {
  const templates = useAnswerTemplates(c.id, c.municipalityId, c.categoryId, true);
  const labels = { template: 'Шаблон ответа', result: 'Результат рассмотрения', text: 'Текст ответа' };
  const spec: FormSpec = {
    action: 'draft-answer',
    title: 'Проект ответа',
    submit: 'Передать на согласование',
    done: 'Проект ответа передан руководителю на согласование.',
    labels,
    open: true,
    initial: { text: c.draft?.text ?? '', result: c.draft?.result ?? '', template: '' },
    render: ({ id, errors, values, set, setMany }) => (
      <>
        {templates.data && templates.data.length > 0 && (
          <SelectField
            id={id('template')}
            label={labels.template}
            value={values.template ?? ''}
            optional
            onValue={(v) => {
              const t = templates.data?.find((x) => String(x.id) === v);
              setMany(t ? { template: v, text: t.text, ...(t.result ? { result: t.result } : {}) } : { template: v });
            }}
            hint="Текст шаблона заменит то, что написано в поле ответа."
            fieldClassName="form__wide"
          >
            <option value="">Без шаблона</option>
            {templates.data.map((t) => (
              <option key={t.id} value={t.id}>
                {t.title}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField
          id={id('result')}
          label={labels.result}
          value={values.result ?? ''}
          onValue={set('result')}
          error={errors.result}
        >
          <option value="">Выберите…</option>
          {Object.entries(RESULT_NAMES).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </SelectField>
        <TextArea
          id={id('text')}
          label={labels.text}
          value={values.text ?? ''}
          onValue={set('text')}
          error={errors.text}
          rows={14}
        />
      </>
    ),
    body: (v) => {
      const errors: Record<string, string> = {};
      if (!v.result) errors.result = 'Выберите результат рассмотрения.';
      if (!v.text?.trim()) errors.text = 'Напишите текст ответа.';
      return Object.keys(errors).length ? { errors } : { text: v.text!.trim(), result: v.result };
    },
  };
  return <ActionForm c={c} spec={spec} onDone={onDone} />;
}

function AssignForm({
  c,
  onDone,
  people,
  departments,
}: {
  c: Case;
  onDone: (text: string) => void;
  people: Person[];
  departments: Array<{ id: number; name: string; isActive: boolean }>;
}) {
  const labels = { departmentId: 'Подразделение', executorUserId: 'Исполнитель' };
  const spec: FormSpec = {
    action: 'assign',
    title: c.status === 'registered' ? 'Назначить исполнителя' : 'Переназначить',
    submit: 'Назначить',
    done: 'Обращение направлено исполнителю.',
    labels,
    open: c.status === 'registered',
    initial: {
      departmentId: c.departmentId ? String(c.departmentId) : '',
      executorUserId: c.executorUserId ? String(c.executorUserId) : '',
    },
    render: ({ id, errors, values, set, setMany }) => {
      const dep = Number(values.departmentId);
      const candidates = people
        .filter((p) => !dep || p.departmentIds.includes(dep))
        .filter((p) => p.roles.length === 0 || p.roles.some((r) => r === 'executor' || r === 'head'))
        .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
      return (
        <>
          <SelectField
            id={id('departmentId')}
            label={labels.departmentId}
            value={values.departmentId ?? ''}
            onValue={(v) => setMany({ departmentId: v, executorUserId: '' })}
            error={errors.departmentId}
          >
            <option value="">Выберите…</option>
            {departments
              .filter((d) => d.isActive || d.id === c.departmentId)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </SelectField>
          <SelectField
            id={id('executorUserId')}
            label={labels.executorUserId}
            value={values.executorUserId ?? ''}
            onValue={set('executorUserId')}
            error={errors.executorUserId}
            optional
            hint={candidates.length === 0 && dep ? 'В подразделении нет исполнителей, которых вам видно.' : undefined}
          >
            <option value="">Не назначать</option>
            {candidates.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </>
      );
    },
    body: (v) => {
      if (!v.departmentId) return { errors: { departmentId: 'Выберите подразделение.' } };
      return {
        departmentId: Number(v.departmentId),
        ...(v.executorUserId ? { executorUserId: Number(v.executorUserId) } : {}),
      };
    },
  };
  return <ActionForm c={c} spec={spec} onDone={onDone} />;
}

const extendSpec = (): FormSpec => {
  const labels = { days: 'На сколько дней', reason: 'Причина продления' };
  return {
    action: 'extend',
    title: 'Продлить срок',
    submit: 'Продлить срок',
    done: 'Срок ответа продлён, заявитель уведомлён.',
    labels,
    hint: 'Не более чем на 30 дней и только один раз, с уведомлением заявителя (59-ФЗ, ст. 12 ч. 2).',
    initial: { days: '30', reason: '' },
    render: ({ id, errors, values, set }) => (
      <>
        <TextField
          id={id('days')}
          label={labels.days}
          type="number"
          inputMode="numeric"
          min={1}
          max={30}
          value={values.days ?? ''}
          onValue={set('days')}
          error={errors.days}
          hint="От 1 до 30 календарных дней."
        />
        <TextArea
          id={id('reason')}
          label={labels.reason}
          value={values.reason ?? ''}
          onValue={set('reason')}
          error={errors.reason}
          rows={3}
        />
      </>
    ),
    body: (v) => {
      const errors = required(v, labels, ['reason']);
      const days = Number(v.days);
      if (!/^\d+$/.test(v.days ?? '') || days < 1 || days > 30) errors.days = 'Введите целое число от 1 до 30.';
      return Object.keys(errors).length ? { errors } : { days, reason: v.reason!.trim() };
    },
  };
};

const redirectSpec = (): FormSpec => {
  const labels = { to: 'Куда направить', reason: 'Причина' };
  return {
    action: 'redirect',
    title: 'Переадресовать',
    submit: 'Переадресовать',
    done: 'Обращение переадресовано, заявитель уведомлён.',
    labels,
    hint: 'В течение 7 дней со дня регистрации в орган, к компетенции которого относится вопрос (59-ФЗ, ст. 8 ч. 3).',
    render: ({ id, errors, values, set }) => (
      <>
        <TextField
          id={id('to')}
          label={labels.to}
          value={values.to ?? ''}
          onValue={set('to')}
          error={errors.to}
          hint="Например: Министерство здравоохранения Кузбасса"
          fieldClassName="form__wide"
        />
        <TextArea
          id={id('reason')}
          label={labels.reason}
          value={values.reason ?? ''}
          onValue={set('reason')}
          error={errors.reason}
          rows={3}
        />
      </>
    ),
    body: (v) => {
      const errors = required(v, labels, ['to', 'reason']);
      return Object.keys(errors).length ? { errors } : { to: v.to!.trim(), reason: v.reason!.trim() };
    },
  };
};

const leaveUnansweredSpec = (): FormSpec => {
  const labels = { comment: 'Комментарий', forwardedTo: 'Передано в правоохранительные органы' };
  return {
    action: 'leave-unanswered',
    title: 'Оставить без ответа (анонимное)',
    submit: 'Оставить без ответа',
    done: 'Обращение оставлено без ответа.',
    labels,
    danger: true,
    hint: 'Нет фамилии или адреса для ответа (59-ФЗ, ст. 11 ч. 1). Если в обращении сведения о готовящемся или совершённом противоправном деянии, укажите, куда оно передано.',
    render: ({ id, errors, values, set }) => (
      <>
        <TextArea
          id={id('comment')}
          label={labels.comment}
          value={values.comment ?? ''}
          onValue={set('comment')}
          error={errors.comment}
          rows={3}
        />
        <TextField
          id={id('forwardedTo')}
          label={labels.forwardedTo}
          value={values.forwardedTo ?? ''}
          onValue={set('forwardedTo')}
          error={errors.forwardedTo}
          optional
          fieldClassName="form__wide"
        />
      </>
    ),
    body: (v) => {
      const errors = required(v, labels, ['comment']);
      if (Object.keys(errors).length) return { errors };
      return { comment: v.comment!.trim(), ...(v.forwardedTo?.trim() ? { forwardedTo: v.forwardedTo.trim() } : {}) };
    },
  };
};

const unreadableSpec = (): FormSpec => {
  const labels = { kind: 'Причина', comment: 'Комментарий' };
  return {
    action: 'notify-unreadable',
    title: 'Текст не поддаётся прочтению',
    submit: 'Уведомить заявителя',
    done: 'Заявитель уведомлён, ответ по существу не даётся.',
    labels,
    danger: true,
    hint: 'Ответ не даётся; заявителю сообщают об этом в течение 7 дней со дня регистрации (59-ФЗ, ст. 11 ч. 4 и 4.1).',
    initial: { kind: 'unreadable', comment: '' },
    render: ({ id, errors, values, set }) => (
      <>
        <SelectField
          id={id('kind')}
          label={labels.kind}
          value={values.kind ?? 'unreadable'}
          onValue={set('kind')}
          error={errors.kind}
        >
          <option value="unreadable">Текст не поддаётся прочтению (ч. 4)</option>
          <option value="unclear">Из текста нельзя понять суть (ч. 4.1)</option>
        </SelectField>
        <TextArea
          id={id('comment')}
          label={labels.comment}
          value={values.comment ?? ''}
          onValue={set('comment')}
          error={errors.comment}
          rows={3}
        />
      </>
    ),
    body: (v) => {
      const errors = required(v, labels, ['comment']);
      return Object.keys(errors).length ? { errors } : { kind: v.kind || 'unreadable', comment: v.comment!.trim() };
    },
  };
};

const terminateSpec = (): FormSpec => {
  const labels = { comment: 'Обоснование', previousCaseIds: 'Предыдущие обращения' };
  return {
    action: 'terminate-correspondence',
    title: 'Прекратить переписку',
    submit: 'Прекратить переписку',
    done: 'Переписка прекращена, заявитель уведомлён.',
    labels,
    danger: true,
    hint: 'Если в обращении вопрос, на который заявителю многократно давались ответы по существу, и нет новых доводов (59-ФЗ, ст. 11 ч. 5).',
    render: ({ id, errors, values, set }) => (
      <>
        <TextField
          id={id('previousCaseIds')}
          label={labels.previousCaseIds}
          value={values.previousCaseIds ?? ''}
          onValue={set('previousCaseIds')}
          error={errors.previousCaseIds}
          hint="Внутренние номера (id) обращений, на которые уже даны ответы, через запятую: например 12, 40."
          inputMode="numeric"
          fieldClassName="form__wide"
        />
        <TextArea
          id={id('comment')}
          label={labels.comment}
          value={values.comment ?? ''}
          onValue={set('comment')}
          error={errors.comment}
          rows={3}
        />
      </>
    ),
    body: (v) => {
      const errors = required(v, labels, ['comment', 'previousCaseIds']);
      const parts = (v.previousCaseIds ?? '').split(/[\s,;]+/).filter(Boolean);
      if (parts.length && !parts.every((s) => /^\d+$/.test(s)))
        errors.previousCaseIds = 'Только числа через запятую, например 12, 40.';
      if (Object.keys(errors).length) return { errors };
      return { comment: v.comment!.trim(), previousCaseIds: parts.map(Number) };
    },
  };
};

const convertSpec = (c: Case): FormSpec => {
  const labels = { regime: 'Новый порядок рассмотрения', reason: 'Причина' };
  return {
    action: 'convert',
    title: 'Изменить порядок рассмотрения',
    submit: 'Изменить',
    done: 'Порядок рассмотрения изменён, сроки пересчитаны.',
    labels,
    render: ({ id, errors, values, set }) => (
      <>
        <SelectField
          id={id('regime')}
          label={labels.regime}
          value={values.regime ?? ''}
          onValue={set('regime')}
          error={errors.regime}
        >
          <option value="">Выберите…</option>
          {Object.entries(REGIME_NAMES)
            .filter(([code]) => code !== c.regime)
            .map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
        </SelectField>
        <TextArea
          id={id('reason')}
          label={labels.reason}
          value={values.reason ?? ''}
          onValue={set('reason')}
          error={errors.reason}
          rows={3}
        />
      </>
    ),
    body: (v) => {
      const errors = required(v, labels, ['regime', 'reason']);
      return Object.keys(errors).length ? { errors } : { regime: v.regime, reason: v.reason!.trim() };
    },
  };
};

/**
 * Exactly the actions the server lists in `allowedActions` for this reader and this case, nothing more: a
 * button the server would refuse is not shown (the server still checks every request).
 */
export function CaseActions({
  c,
  people,
  departments,
  onDone,
}: {
  c: Case;
  people: Person[];
  departments: Array<{ id: number; name: string; isActive: boolean }>;
  onDone: (text: string) => void;
}) {
  const allowed = new Set(c.allowedActions ?? []);
  const has = (a: string) => allowed.has(a);
  const buttons = [
    has('start') && (
      <ActionButton
        key="start"
        c={c}
        action="start"
        label="Принять в работу"
        done="Обращение принято в работу."
        onDone={onDone}
      />
    ),
    has('unmerge') && (
      <ActionButton
        key="unmerge"
        c={c}
        action="unmerge"
        label="Исключить из объединения"
        done="Обращение исключено из объединения и рассматривается отдельно."
        onDone={onDone}
      />
    ),
    has('approve-answer') && (
      <ActionButton
        key="approve"
        c={c}
        action="approve-answer"
        label="Утвердить ответ"
        done="Ответ утверждён и направлен заявителю."
        onDone={onDone}
      />
    ),
  ].filter(Boolean);
  const forms: ReactNode[] = [];
  // 59-ФЗ ст. 11 and a change of regime: rarer decisions, kept apart from the everyday steps.
  const side: ReactNode[] = [];
  if (has('assign')) forms.push(<AssignForm key="assign" c={c} onDone={onDone} people={people} departments={departments} />);
  if (has('draft-answer')) forms.push(<DraftAnswerForm key="draft" c={c} onDone={onDone} />);
  // Issue 5: a message or incident fixed, with the after-photo (the map module's form).
  if (has('mark-fixed')) forms.push(<MarkFixedForm key="fixed" c={c} onDone={onDone} />);
  if (has('return-draft'))
    forms.push(
      <ActionForm
        key="return"
        c={c}
        onDone={onDone}
        spec={{
          ...commentSpec(
            'return-draft',
            'Вернуть на доработку',
            'Вернуть исполнителю',
            'Проект возвращён исполнителю на доработку.',
            'Комментарий увидит только исполнитель.',
          ),
          danger: false,
        }}
      />,
    );
  if (has('extend')) forms.push(<ActionForm key="extend" c={c} onDone={onDone} spec={extendSpec()} />);
  if (has('redirect')) forms.push(<ActionForm key="redirect" c={c} onDone={onDone} spec={redirectSpec()} />);
  if (has('convert')) side.push(<ActionForm key="convert" c={c} onDone={onDone} spec={convertSpec(c)} />);
  if (has('leave-unanswered')) side.push(<ActionForm key="leave" c={c} onDone={onDone} spec={leaveUnansweredSpec()} />);
  if (has('close-abusive'))
    side.push(
      <ActionForm
        key="abusive"
        c={c}
        onDone={onDone}
        spec={commentSpec(
          'close-abusive',
          'Оставить без ответа (оскорбления)',
          'Оставить без ответа по существу',
          'Обращение оставлено без ответа по существу, заявитель уведомлён.',
          'Нецензурные либо оскорбительные выражения, угрозы жизни, здоровью и имуществу (59-ФЗ, ст. 11 ч. 3): заявителю сообщают о недопустимости злоупотребления правом.',
        )}
      />,
    );
  if (has('notify-unreadable')) side.push(<ActionForm key="unreadable" c={c} onDone={onDone} spec={unreadableSpec()} />);
  if (has('return-court-decision'))
    side.push(
      <ActionForm
        key="court"
        c={c}
        onDone={onDone}
        spec={commentSpec(
          'return-court-decision',
          'Возвратить: обжалование судебного решения',
          'Возвратить заявителю',
          'Обращение возвращено заявителю с разъяснением порядка обжалования.',
          'Возврат в течение 7 дней со дня регистрации с разъяснением порядка обжалования судебного решения (59-ФЗ, ст. 11 ч. 2).',
        )}
      />,
    );
  if (has('terminate-correspondence')) side.push(<ActionForm key="terminate" c={c} onDone={onDone} spec={terminateSpec()} />);

  if (buttons.length === 0 && forms.length === 0 && side.length === 0) {
    return <p className="muted">Сейчас у вас нет действий по этому обращению.</p>;
  }
  return (
    <div className="case-actions">
      {buttons.length > 0 && <div className="actions">{buttons}</div>}
      {forms.length > 0 && <div className="case-actions__forms">{forms}</div>}
      {side.length > 0 && (
        <>
          <h3 className="case-subtitle">Особые случаи (59-ФЗ, ст. 11)</h3>
          <div className="case-actions__forms">{side}</div>
        </>
      )}
    </div>
  );
}
