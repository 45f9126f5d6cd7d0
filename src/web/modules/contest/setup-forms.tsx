import { type FormEvent, useState } from 'react';
import { ErrorSummary, SelectField, TextField, useFormErrors } from '../../app/ui.tsx';
import { TextAreaField } from '../cases-resident/fields.tsx';
import { useStaffList } from '../staff/staff.api.ts';
import {
  type Contest,
  type ContestInput,
  type Criterion,
  MEMBER_ROLE_NAMES,
  MEMBER_ROLES,
  type Member,
  type MemberInput,
  type MemberRole,
  type Method,
  type Stage,
} from './contest.api.ts';
import { contestFieldErrors, contestMessage } from './contest-ru.ts';

// The region's setup of a contest: the conditions (year, stage, nomination, categories, regulation, window and
// deadlines, the voting method with criteria and weights, how many go to the federal stage) and the commission.

/** An instant → the value of a datetime-local input in the browser's zone, and back. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export const fromLocalInput = (value: string): string | null => (value ? new Date(value).toISOString() : null);

const DEFAULT_CATEGORIES = [
  {
    code: 'I',
    name: 'городские, муниципальные округа и городские поселения',
    municipalityTypes: ['urban_okrug', 'municipal_okrug', 'urban_settlement'] as const,
  },
  { code: 'II', name: 'сельские поселения', municipalityTypes: ['rural_settlement'] as const },
];

const CONTEST_FIELDS = [
  'year',
  'stage',
  'title',
  'nomination',
  'organizer',
  'regulation',
  'applicationsFrom',
  'applicationsTo',
  'resubmitTo',
  'reviewTo',
  'meetingAt',
  'meetingPlace',
  'agenda',
  'method',
  'criteria',
  'recommendTop',
  'categories',
] as const;
const CONTEST_LABELS: Record<string, string> = {
  year: 'Год',
  stage: 'Этап',
  title: 'Название конкурса',
  nomination: 'Номинация',
  organizer: 'Организатор',
  regulation: 'Положение о конкурсе',
  applicationsFrom: 'Начало приёма заявок',
  applicationsTo: 'Окончание приёма заявок',
  resubmitTo: 'Повторная подача до',
  reviewTo: 'Проверка заявок до',
  meetingAt: 'Заседание комиссии',
  meetingPlace: 'Место заседания',
  agenda: 'Повестка',
  method: 'Способ голосования',
  criteria: 'Критерии',
  recommendTop: 'Рекомендовать на федеральный этап',
  categories: 'Категории',
};
const fieldOf = (path: string) => path.split('.')[0] ?? path;

interface CriterionRow extends Criterion {
  key: number;
}

export function ContestForm({
  contest,
  onSave,
  onCancel,
}: {
  /** Null: a new contest (with its categories); otherwise its conditions are changed. */
  contest: Contest | null;
  onSave: (input: ContestInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const P = contest ? `contest-${contest.id}` : 'contest-new';
  const form = useFormErrors(P, CONTEST_FIELDS, fieldOf);
  const [busy, setBusy] = useState(false);
  const [year, setYear] = useState(String(contest?.year ?? new Date().getFullYear()));
  const [stage, setStage] = useState<Stage>(contest?.stage ?? 'regional');
  const [title, setTitle] = useState(contest?.title ?? 'Лучшая муниципальная практика');
  const [nomination, setNomination] = useState(contest?.nomination ?? '');
  const [organizer, setOrganizer] = useState(contest?.organizer ?? '');
  const [regulation, setRegulation] = useState(contest?.regulation ?? '');
  const [from, setFrom] = useState(toLocalInput(contest?.applicationsFrom ?? null));
  const [to, setTo] = useState(toLocalInput(contest?.applicationsTo ?? null));
  const [resubmitTo, setResubmitTo] = useState(toLocalInput(contest?.resubmitTo ?? null));
  const [reviewTo, setReviewTo] = useState(toLocalInput(contest?.reviewTo ?? null));
  const [meetingAt, setMeetingAt] = useState(toLocalInput(contest?.meetingAt ?? null));
  const [meetingPlace, setMeetingPlace] = useState(contest?.meetingPlace ?? '');
  const [agenda, setAgenda] = useState((contest?.agenda ?? []).join('\n'));
  const [method, setMethod] = useState<Method>(contest?.method ?? 'ranking');
  const [criteria, setCriteria] = useState<CriterionRow[]>((contest?.criteria ?? []).map((c, i) => ({ ...c, key: i })));
  const [recommendTop, setRecommendTop] = useState(String(contest?.recommendTop ?? 2));
  const [categoryNames, setCategoryNames] = useState(DEFAULT_CATEGORIES.map((k) => k.name));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    form.clear();
    const missing: Record<string, string> = {};
    if (!nomination.trim()) missing.nomination = 'Укажите номинацию.';
    if (!from) missing.applicationsFrom = 'Укажите начало приёма заявок.';
    if (!to) missing.applicationsTo = 'Укажите окончание приёма заявок.';
    if (method === 'criteria' && criteria.every((c) => !c.name.trim()))
      missing.criteria = 'Для оценки по критериям добавьте хотя бы один критерий.';
    if (Object.keys(missing).length) {
      form.show(missing, 'Исправьте ошибки в форме');
      return;
    }
    const input: ContestInput = {
      year: Number(year),
      stage,
      title: title.trim(),
      nomination: nomination.trim(),
      organizer: organizer.trim(),
      regulation: regulation.trim(),
      applicationsFrom: fromLocalInput(from) as string,
      applicationsTo: fromLocalInput(to) as string,
      resubmitTo: fromLocalInput(resubmitTo),
      reviewTo: fromLocalInput(reviewTo),
      meetingAt: fromLocalInput(meetingAt),
      meetingPlace: meetingPlace.trim(),
      agenda: agenda
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
      method,
      criteria:
        method === 'criteria'
          ? criteria
              .filter((c) => c.name.trim())
              .map((c, i) => ({ code: c.code || `k${i + 1}`, name: c.name.trim(), weight: Number(c.weight) }))
          : [],
      recommendTop: Number(recommendTop),
      ...(contest
        ? {}
        : {
            categories: DEFAULT_CATEGORIES.map((k, i) => ({
              code: k.code,
              name: categoryNames[i]?.trim() || k.name,
              municipalityTypes: [...k.municipalityTypes],
            })),
          }),
    };
    setBusy(true);
    try {
      await onSave(input);
    } catch (error) {
      const fields = contestFieldErrors(error, fieldOf);
      form.show(fields, contestMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form contest-form" onSubmit={submit} noValidate aria-labelledby={`${P}-title`}>
      <h2 id={`${P}-title`}>{contest ? 'Условия конкурса' : 'Новый конкурс'}</h2>
      <ErrorSummary form={form} labels={CONTEST_LABELS} />
      <div className="contest-grid">
        <TextField
          id={`${P}-year`}
          label="Год"
          type="number"
          inputMode="numeric"
          min={2016}
          max={2100}
          value={year}
          onValue={setYear}
          error={form.errors.year}
        />
        <SelectField id={`${P}-stage`} label="Этап" value={stage} onValue={(v) => setStage(v as Stage)} error={form.errors.stage}>
          <option value="regional">региональный</option>
          <option value="federal">федеральный</option>
        </SelectField>
      </div>
      <TextField id={`${P}-title`} label="Название конкурса" value={title} onValue={setTitle} error={form.errors.title} />
      <TextAreaField
        id={`${P}-nomination`}
        label="Номинация"
        value={nomination}
        onValue={setNomination}
        rows={3}
        error={form.errors.nomination}
      />
      {!contest && (
        <fieldset className="fieldset">
          <legend className="fieldset__legend fieldset__legend--small">Категории участников</legend>
          {DEFAULT_CATEGORIES.map((k, i) => (
            <TextField
              key={k.code}
              id={`${P}-category-${k.code}`}
              label={`${k.code} категория`}
              value={categoryNames[i] ?? ''}
              onValue={(v) => setCategoryNames((list) => list.map((x, j) => (j === i ? v : x)))}
              hint={k.code === 'I' ? 'Муниципальные и городские округа, городские поселения.' : 'Сельские поселения.'}
            />
          ))}
        </fieldset>
      )}
      <TextField
        id={`${P}-organizer`}
        label="Организатор"
        optional
        value={organizer}
        onValue={setOrganizer}
        error={form.errors.organizer}
        hint="Например: департамент внутренней политики Губернатора Кемеровской области – Кузбасса."
      />
      <TextAreaField
        id={`${P}-regulation`}
        label="Положение о конкурсе"
        optional
        rows={2}
        value={regulation}
        onValue={setRegulation}
        error={form.errors.regulation}
        hint="Документ, на соответствие которому проверяются заявки, — так, как он встанет в протокол после слов «рассмотрены на соответствие»: «Положению о региональном этапе…, утверждённому…»."
      />
      <fieldset className="fieldset">
        <legend className="fieldset__legend fieldset__legend--small">Сроки</legend>
        <div className="contest-grid">
          <TextField
            id={`${P}-applicationsFrom`}
            label="Начало приёма заявок"
            type="datetime-local"
            value={from}
            onValue={setFrom}
            error={form.errors.applicationsFrom}
          />
          <TextField
            id={`${P}-applicationsTo`}
            label="Окончание приёма заявок"
            type="datetime-local"
            value={to}
            onValue={setTo}
            error={form.errors.applicationsTo}
          />
          <TextField
            id={`${P}-resubmitTo`}
            label="Повторная подача до"
            optional
            type="datetime-local"
            value={resubmitTo}
            onValue={setResubmitTo}
            error={form.errors.resubmitTo}
            hint="Для заявок, возвращённых на доработку. Пусто — до окончания приёма."
          />
          <TextField
            id={`${P}-reviewTo`}
            label="Проверка заявок до"
            optional
            type="datetime-local"
            value={reviewTo}
            onValue={setReviewTo}
            error={form.errors.reviewTo}
          />
          <TextField
            id={`${P}-meetingAt`}
            label="Заседание комиссии"
            optional
            type="datetime-local"
            value={meetingAt}
            onValue={setMeetingAt}
            error={form.errors.meetingAt}
          />
          <TextField
            id={`${P}-meetingPlace`}
            label="Место заседания"
            optional
            value={meetingPlace}
            onValue={setMeetingPlace}
            error={form.errors.meetingPlace}
          />
        </div>
      </fieldset>
      <TextAreaField
        id={`${P}-agenda`}
        label="Повестка заседания"
        optional
        rows={3}
        value={agenda}
        onValue={setAgenda}
        error={form.errors.agenda}
        hint="Каждый вопрос — с новой строки."
      />
      <fieldset className="fieldset">
        <legend className="fieldset__legend fieldset__legend--small">Голосование комиссии</legend>
        <SelectField
          id={`${P}-method`}
          label="Способ голосования"
          value={method}
          onValue={(v) => setMethod(v as Method)}
          error={form.errors.method}
        >
          <option value="ranking">ранжирование: каждый член комиссии расставляет заявки по местам</option>
          <option value="criteria">оценка по критериям от 1 до 10 баллов с весами</option>
        </SelectField>
        {method === 'criteria' && (
          <div className={`field${form.errors.criteria ? ' field--error' : ''}`} id={`${P}-criteria`} tabIndex={-1}>
            <p className="field__label">Критерии и их веса</p>
            {form.errors.criteria && <p className="field__error">{form.errors.criteria}</p>}
            <ul className="contest-rows">
              {criteria.map((c, i) => (
                <li key={c.key} className="contest-row">
                  <TextField
                    id={`${P}-criterion-${c.key}-name`}
                    label={`Критерий ${i + 1}`}
                    value={c.name}
                    onValue={(v) => setCriteria((list) => list.map((x) => (x.key === c.key ? { ...x, name: v } : x)))}
                  />
                  <TextField
                    id={`${P}-criterion-${c.key}-weight`}
                    label="Вес"
                    type="number"
                    inputMode="decimal"
                    min={0.1}
                    step={0.1}
                    value={String(c.weight)}
                    onValue={(v) => setCriteria((list) => list.map((x) => (x.key === c.key ? { ...x, weight: Number(v) } : x)))}
                  />
                  <button
                    type="button"
                    className="button button--secondary button--small contest-row__remove"
                    onClick={() => setCriteria((list) => list.filter((x) => x.key !== c.key))}
                    aria-label={`Убрать критерий ${i + 1}`}
                  >
                    Убрать
                  </button>
                </li>
              ))}
            </ul>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() =>
                setCriteria((list) => [
                  ...list,
                  { key: Math.max(0, ...list.map((x) => x.key)) + 1, code: '', name: '', weight: 1 },
                ])
              }
            >
              Добавить критерий
            </button>
          </div>
        )}
        <TextField
          id={`${P}-recommendTop`}
          label="Рекомендовать на федеральный этап: первых мест в каждой категории"
          type="number"
          inputMode="numeric"
          min={0}
          max={10}
          value={recommendTop}
          onValue={setRecommendTop}
          error={form.errors.recommendTop}
        />
      </fieldset>
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {contest ? 'Сохранить условия' : 'Создать конкурс'}
        </button>
        {onCancel && (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Отмена
          </button>
        )}
      </div>
    </form>
  );
}

interface MemberRow {
  key: number;
  role: MemberRole;
  lastName: string;
  firstName: string;
  middleName: string;
  position: string;
  userId: string;
}

const rowOf = (m: Member, i: number): MemberRow => ({
  key: i,
  role: m.role,
  lastName: m.lastName,
  firstName: m.firstName,
  middleName: m.middleName ?? '',
  position: m.position,
  userId: m.userId === null ? '' : String(m.userId),
});

/** The commission as a whole list: role, name, position and, for a member who votes on the site, the account. */
export function CommissionForm({
  contestId,
  members,
  onSave,
  onCancel,
}: {
  contestId: number;
  members: Member[];
  onSave: (members: MemberInput[]) => Promise<void>;
  onCancel: () => void;
}) {
  const P = `commission-${contestId}`;
  const [rows, setRows] = useState<MemberRow[]>(
    members.length
      ? members.map(rowOf)
      : [{ key: 0, role: 'chair', lastName: '', firstName: '', middleName: '', position: '', userId: '' }],
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const staff = useStaffList(null, '', true);
  /** The region's accounts with the commission member's role: those vote on the site. */
  const accounts = (staff.data?.pages.flat() ?? []).filter(
    (x) => x.isActive && x.roles.some((g) => g.role === 'commission_member'),
  );
  const set = (key: number, patch: Partial<MemberRow>) =>
    setRows((list) => list.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await onSave(
        rows.map((r) => ({
          role: r.role,
          lastName: r.lastName.trim(),
          firstName: r.firstName.trim(),
          middleName: r.middleName.trim() || null,
          position: r.position.trim(),
          userId: r.userId ? Number(r.userId) : null,
        })),
      );
    } catch (err) {
      const fields = contestFieldErrors(err, (p) => p);
      setError(Object.values(fields)[0] ?? contestMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby={`${P}-title`}>
      <h3 id={`${P}-title`}>Состав конкурсной комиссии</h3>
      {error && (
        <div className="alert alert--error" role="alert">
          <p>{error}</p>
        </div>
      )}
      <ol className="contest-members-edit">
        {rows.map((r, i) => (
          <li key={r.key} className="contest-member-edit">
            <fieldset className="fieldset">
              <legend className="fieldset__legend fieldset__legend--small">Член комиссии {i + 1}</legend>
              <div className="contest-grid">
                <SelectField
                  id={`${P}-${r.key}-role`}
                  label="Роль в комиссии"
                  value={r.role}
                  onValue={(v) => set(r.key, { role: v as MemberRole })}
                >
                  {MEMBER_ROLES.map((role) => (
                    <option key={role} value={role}>
                      {MEMBER_ROLE_NAMES[role]}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  id={`${P}-${r.key}-last`}
                  label="Фамилия"
                  value={r.lastName}
                  onValue={(v) => set(r.key, { lastName: v })}
                />
                <TextField
                  id={`${P}-${r.key}-first`}
                  label="Имя"
                  value={r.firstName}
                  onValue={(v) => set(r.key, { firstName: v })}
                />
                <TextField
                  id={`${P}-${r.key}-middle`}
                  label="Отчество"
                  optional
                  value={r.middleName}
                  onValue={(v) => set(r.key, { middleName: v })}
                />
              </div>
              <TextField
                id={`${P}-${r.key}-position`}
                label="Должность"
                value={r.position}
                onValue={(v) => set(r.key, { position: v })}
              />
              <SelectField
                id={`${P}-${r.key}-user`}
                label="Как голосует"
                value={r.userId}
                onValue={(v) => {
                  const account = accounts.find((x) => String(x.id) === v);
                  set(r.key, {
                    userId: v,
                    ...(account && !r.lastName.trim()
                      ? { lastName: account.lastName, firstName: account.firstName, middleName: account.middleName ?? '' }
                      : {}),
                  });
                }}
                hint="На сайте — под своей учётной записью члена конкурсной комиссии; на бумаге — бюллетень вносит администратор региона."
              >
                <option value="">на бумаге</option>
                {accounts.map((x) => (
                  <option key={x.id} value={String(x.id)}>
                    на сайте: {x.lastName} {x.firstName} ({x.email})
                  </option>
                ))}
              </SelectField>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => setRows((list) => list.filter((x) => x.key !== r.key))}
                disabled={rows.length === 1}
              >
                Убрать из комиссии
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() =>
            setRows((list) => [
              ...list,
              {
                key: Math.max(0, ...list.map((x) => x.key)) + 1,
                role: 'member',
                lastName: '',
                firstName: '',
                middleName: '',
                position: '',
                userId: '',
              },
            ])
          }
        >
          Добавить члена комиссии
        </button>
        <button type="submit" className="button" disabled={busy}>
          Сохранить состав
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Отмена
        </button>
      </div>
    </form>
  );
}
