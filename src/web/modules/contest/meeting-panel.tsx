import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { CheckboxField, SelectField, TextField } from '../../app/ui.tsx';
import { TextAreaField } from '../cases-resident/fields.tsx';
import {
  admitApplication,
  approveProtocol,
  breakTie,
  type ContestView,
  closeMeeting,
  federalPackageUrl,
  hasFederalPackage,
  openMeeting,
  protocolUrl,
  publishResults,
  recordAttendance,
  saveAssignments,
  type Tally,
  useRefreshContest,
} from './contest.api.ts';
import { ApplicationStatusBadge } from './contest-bits.tsx';
import { contestError, instantRu, localDateRu } from './contest-ru.ts';

// The region's side of the procedure after the setup: the applications and their check, the meeting (attendance,
// opening, closing), the tally with ties broken explicitly, the decision's assignments, the protocol's approval and
// the publication of the winners.

type OnNotice = (text: string) => void;

/** A button that runs a request; its refusal is shown beside it in Russian. */
function ActionButton({
  label,
  run,
  kind = 'primary',
  confirm,
}: {
  label: string;
  run: () => Promise<void>;
  kind?: 'primary' | 'secondary';
  /** Asked before an action that cannot be undone. */
  confirm?: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="contest-action">
      <button
        type="button"
        className={`button${kind === 'secondary' ? ' button--secondary' : ''}`}
        disabled={busy}
        onClick={async () => {
          if (confirm && !window.confirm(confirm)) return;
          setBusy(true);
          setError(null);
          try {
            await run();
          } catch (err) {
            setError(contestError(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        {label}
      </button>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function ApplicationsPanel({ view, onNotice }: { view: ContestView; onNotice: OnNotice }) {
  const c = view.contest;
  const refresh = useRefreshContest();
  return (
    <section className="section" aria-labelledby="contest-applications">
      <h2 id="contest-applications">Заявки</h2>
      {view.categories.map((k) => {
        const list = view.applications.filter((a) => a.categoryId === k.id && a.status !== 'draft');
        const drafts = view.applications.filter((a) => a.categoryId === k.id && a.status === 'draft').length;
        return (
          <div key={k.id} className="contest-category-block">
            <h3 className="contest-category">{k.label}</h3>
            {list.length === 0 ? (
              <p className="muted">Заявок не поступило{drafts ? ` (черновиков: ${drafts})` : ''}.</p>
            ) : (
              <div className="table-scroll">
                <table className="table">
                  <caption className="visually-hidden">Заявки: {k.label}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Заявитель</th>
                      <th scope="col">Состояние</th>
                      <th scope="col">Подана</th>
                      <th scope="col">
                        <span className="visually-hidden">Действия</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((a) => (
                      <tr key={a.id}>
                        <th scope="row" data-label="Заявитель">
                          <Link to={`/staff/contest/applications/${a.id}`}>{a.applicantName}</Link>
                          {a.remarks && a.status === 'returned' && <p className="table__sub">Замечания: {a.remarks}</p>}
                          {a.place !== null && (
                            <p className="table__sub">
                              {a.place} место{a.recommended ? ', рекомендована на федеральный этап' : ''}
                            </p>
                          )}
                        </th>
                        <td data-label="Состояние">
                          <ApplicationStatusBadge status={a.status} name={a.statusName} />
                        </td>
                        <td data-label="Подана">{a.submittedAt ? instantRu(a.submittedAt, c.timeZone) : '—'}</td>
                        <td className="table__actions">
                          {a.status === 'submitted' && (
                            <Link
                              to={`/staff/contest/applications/${a.id}`}
                              className="button button--small"
                              aria-label={`Проверить заявку: ${a.applicantName}`}
                            >
                              Проверить
                            </Link>
                          )}
                          {a.status === 'conforms' && c.status === 'setup' && (
                            <ActionButton
                              label="Допустить к участию"
                              run={async () => {
                                await admitApplication(a.id);
                                await refresh();
                                onNotice(`Заявка «${a.applicantName}» допущена к участию в конкурсе.`);
                              }}
                            />
                          )}
                          {hasFederalPackage(c, a) && (
                            <span className="contest-links">
                              Пакет на федеральный этап:{' '}
                              <a href={federalPackageUrl(a.id, 'docx')} download>
                                DOCX
                              </a>{' '}
                              <a href={federalPackageUrl(a.id, 'pdf')} download>
                                PDF
                              </a>
                            </span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}

export function MeetingPanel({ view, onNotice }: { view: ContestView; onNotice: OnNotice }) {
  const c = view.contest;
  const refresh = useRefreshContest();
  const [present, setPresent] = useState<number[]>(view.commission.filter((m) => m.present).map((m) => m.id));
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (c.status !== 'setup' && c.status !== 'meeting') return null;
  const voteCategories = view.categories.filter((k) =>
    view.applications.some((a) => a.categoryId === k.id && a.status === 'admitted'),
  );
  const attended = view.commission.filter((m) => m.present).length;
  // A refusal shown under a button is about the state it was pressed in: it goes when that state changes.
  const stamp = JSON.stringify([
    c.status,
    view.commission.map((m) => m.present),
    view.applications.map((a) => a.status),
    view.ballots,
    view.categories.map((k) => k.tiebreak !== null),
  ]);
  const paperLeft = view.commission.some(
    (m) =>
      m.userId === null &&
      m.present &&
      voteCategories.some((k) => !(view.ballots.find((b) => b.memberId === m.id)?.categoryIds ?? []).includes(k.id)),
  );

  async function saveAttendance(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    try {
      await recordAttendance(c.id, present);
      await refresh();
      setSaved(`Присутствуют ${present.length} из ${view.commission.length}.`);
    } catch (err) {
      setError(contestError(err));
    }
  }

  return (
    <section className="section" aria-labelledby="contest-meeting">
      <h2 id="contest-meeting">Заседание комиссии</h2>
      {view.commission.length === 0 && <p className="muted">Сначала сформируйте комиссию.</p>}
      {c.status === 'setup' && view.commission.length > 0 && (
        <>
          <form className="card form" onSubmit={saveAttendance} aria-labelledby="contest-attendance">
            <fieldset className="fieldset">
              <legend id="contest-attendance" className="fieldset__legend fieldset__legend--small">
                Присутствуют на заседании
              </legend>
              {view.commission.map((m) => (
                <CheckboxField
                  key={m.id}
                  id={`contest-present-${m.id}`}
                  label={`${m.name} — ${m.roleName}`}
                  checked={present.includes(m.id)}
                  onChecked={(on) => setPresent((list) => (on ? [...list, m.id] : list.filter((x) => x !== m.id)))}
                />
              ))}
            </fieldset>
            {error && (
              <p className="field__error" role="alert">
                {error}
              </p>
            )}
            {saved && (
              <p className="contest-ok" role="status">
                {saved}
              </p>
            )}
            <button type="submit" className="button button--secondary">
              Отметить присутствующих
            </button>
          </form>
          <p>
            Кворум — больше половины членов комиссии (отмечено присутствующих: {attended} из {view.commission.length}). Перед
            открытием все поданные заявки должны быть допущены или возвращены.
          </p>
          <ActionButton
            key={`open-${stamp}`}
            label="Открыть заседание и голосование"
            run={async () => {
              await openMeeting(c.id);
              await refresh();
              onNotice('Заседание открыто: члены комиссии могут голосовать.');
            }}
          />
        </>
      )}
      {c.status === 'meeting' && (
        <>
          <div className="table-scroll">
            <table className="table">
              <caption>Бюллетени</caption>
              <thead>
                <tr>
                  <th scope="col">Член комиссии</th>
                  {voteCategories.map((k) => (
                    <th key={k.id} scope="col">
                      Категория {k.code}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {view.commission.map((m) => {
                  const voted = view.ballots.find((b) => b.memberId === m.id)?.categoryIds ?? [];
                  return (
                    <tr key={m.id}>
                      <th scope="row" data-label="Член комиссии">
                        {m.name}
                        <span className="table__sub"> {m.present ? '' : '(отсутствует)'}</span>
                      </th>
                      {voteCategories.map((k) => (
                        <td key={k.id} data-label={`Категория ${k.code}`}>
                          {voted.includes(k.id) ? 'проголосовал(а)' : m.present ? 'ждём голос' : '—'}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {paperLeft && (
            <p>
              <Link to={`/staff/contest/${c.id}/vote`}>Внести бумажный бюллетень</Link> члена комиссии, голосующего на бумаге.
            </p>
          )}
          <ActionButton
            key={`close-${stamp}`}
            label="Закрыть заседание"
            confirm="Закрыть заседание? Места будут определены по итогам голосования, голосовать больше будет нельзя."
            run={async () => {
              await closeMeeting(c.id);
              await refresh();
              onNotice('Заседание закрыто: места определены, рекомендации на федеральный этап записаны.');
            }}
          />
        </>
      )}
    </section>
  );
}

const scoreText = (t: Tally, score: number) =>
  t.method === 'ranking' ? String(score) : score.toLocaleString('ru-RU', { maximumFractionDigits: 2 });

export function TallyPanel({ view, onNotice, editable }: { view: ContestView; onNotice?: OnNotice; editable: boolean }) {
  return (
    <section className="section" aria-labelledby="contest-tally">
      <h2 id="contest-tally">Итоги голосования</h2>
      {view.tally.map((t) => (
        <div key={t.categoryId} className="contest-category-block">
          <h3 className="contest-category">{t.label}</h3>
          {t.note && (
            <p className={t.unresolved.length ? 'contest-warning' : 'muted'}>{t.note[0]?.toUpperCase() + t.note.slice(1)}.</p>
          )}
          {!t.empty && (
            <div className="table-scroll">
              <table className="table contest-tally">
                <caption className="visually-hidden">Итоги: {t.label}</caption>
                <thead>
                  <tr>
                    <th scope="col">Место</th>
                    <th scope="col">Заявитель</th>
                    <th scope="col">{t.method === 'ranking' ? 'Сумма мест' : 'Средневзвешенный балл'}</th>
                    {t.method === 'ranking' && <th scope="col">Баллы Борда</th>}
                    <th scope="col">Бюллетеней</th>
                  </tr>
                </thead>
                <tbody>
                  {t.rows.map((r) => (
                    <tr key={r.applicationId} className={r.tiedWith.length && r.place === null ? 'contest-tie' : ''}>
                      <td data-label="Место">
                        {r.place ?? 'равенство'}
                        {r.byTieBreak && <span className="table__sub"> (по решению при равенстве)</span>}
                      </td>
                      <th scope="row" data-label="Заявитель">
                        {r.applicantName}
                      </th>
                      <td data-label={t.method === 'ranking' ? 'Сумма мест' : 'Балл'}>{scoreText(t, r.score)}</td>
                      {t.method === 'ranking' && <td data-label="Борда">{r.borda ?? '—'}</td>}
                      <td data-label="Бюллетеней">{r.ballots}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {(() => {
            const k = view.categories.find((x) => x.id === t.categoryId);
            return k?.tiebreak ? (
              <p className="small">
                Равенство разрешено: {k.tiebreak.basis} ({instantRu(k.tiebreak.recordedAt, view.contest.timeZone)}).
              </p>
            ) : null;
          })()}
          {editable &&
            t.unresolved.map((group) => (
              <TieBreakForm key={group.join('-')} view={view} tally={t} group={group} onNotice={onNotice} />
            ))}
        </div>
      ))}
    </section>
  );
}

function TieBreakForm({
  view,
  tally,
  group,
  onNotice,
}: {
  view: ContestView;
  tally: Tally;
  group: number[];
  onNotice?: OnNotice | undefined;
}) {
  const refresh = useRefreshContest();
  const P = `tie-${tally.categoryId}-${group.join('-')}`;
  const name = (id: number) => tally.rows.find((r) => r.applicationId === id)?.applicantName ?? `№ ${id}`;
  const [order, setOrder] = useState<string[]>(group.map(String));
  const [basis, setBasis] = useState('решающий голос председателя конкурсной комиссии');
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (new Set(order).size !== order.length) {
      setError('Каждая заявка занимает одно место: выберите разные заявки.');
      return;
    }
    try {
      await breakTie(view.contest.id, tally.categoryId, { order: order.map(Number), basis: basis.trim() });
      await refresh();
      onNotice?.('Решение при равенстве записано.');
    } catch (err) {
      setError(contestError(err));
    }
  }

  return (
    <form className="card form contest-tiebreak" onSubmit={submit} aria-labelledby={`${P}-title`}>
      <h4 id={`${P}-title`}>Разрешить равенство: {group.map(name).join(', ')}</h4>
      {order.map((value, i) => (
        <SelectField
          key={`${P}-slot-${group[i]}`}
          id={`${P}-${i}`}
          label={`${i + 1}-е из равных`}
          value={value}
          onValue={(v) => setOrder((list) => list.map((x, j) => (j === i ? v : x)))}
        >
          {group.map((id) => (
            <option key={id} value={String(id)}>
              {name(id)}
            </option>
          ))}
        </SelectField>
      ))}
      <TextField id={`${P}-basis`} label="Основание" value={basis} onValue={setBasis} />
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button">
        Записать решение
      </button>
    </form>
  );
}

interface AssignmentRow {
  key: number;
  text: string;
  responsible: string;
  dueOn: string;
}

function AssignmentsForm({ view, onNotice }: { view: ContestView; onNotice: OnNotice }) {
  const c = view.contest;
  const refresh = useRefreshContest();
  const initial: AssignmentRow[] = view.assignments.length
    ? view.assignments.map((a, i) => ({ key: i, text: a.text, responsible: a.responsible, dueOn: a.dueOn ?? '' }))
    : [
        {
          key: 0,
          text: 'Подготовить заявки муниципальных образований, рекомендованных к участию в федеральном этапе конкурса',
          responsible: view.commission.find((m) => m.role === 'secretary')?.name ?? '',
          dueOn: '',
        },
      ];
  const [rows, setRows] = useState<AssignmentRow[]>(initial);
  const [error, setError] = useState<string | null>(null);
  const set = (key: number, patch: Partial<AssignmentRow>) =>
    setRows((list) => list.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await saveAssignments(
        c.id,
        rows
          .filter((r) => r.text.trim())
          .map((r) => ({ text: r.text.trim(), responsible: r.responsible.trim(), dueOn: r.dueOn || null })),
      );
      await refresh();
      onNotice('Поручения сохранены.');
    } catch (err) {
      setError(contestError(err));
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="contest-assignments">
      <h3 id="contest-assignments">Поручения</h3>
      <ol className="contest-members-edit">
        {rows.map((r, i) => (
          <li key={r.key}>
            <fieldset className="fieldset">
              <legend className="fieldset__legend fieldset__legend--small">Поручение {i + 1}</legend>
              <TextAreaField
                id={`assignment-${r.key}-text`}
                label="Что сделать"
                rows={2}
                value={r.text}
                onValue={(v) => set(r.key, { text: v })}
              />
              <div className="contest-grid">
                <TextField
                  id={`assignment-${r.key}-responsible`}
                  label="Ответственный"
                  value={r.responsible}
                  onValue={(v) => set(r.key, { responsible: v })}
                />
                <TextField
                  id={`assignment-${r.key}-due`}
                  label="Срок"
                  optional
                  type="date"
                  value={r.dueOn}
                  onValue={(v) => set(r.key, { dueOn: v })}
                />
              </div>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => setRows((list) => list.filter((x) => x.key !== r.key))}
              >
                Убрать поручение
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() =>
            setRows((list) => [
              ...list,
              { key: Math.max(0, ...list.map((x) => x.key)) + 1, text: '', responsible: '', dueOn: '' },
            ])
          }
        >
          Добавить поручение
        </button>
        <button type="submit" className="button">
          Сохранить поручения
        </button>
      </div>
    </form>
  );
}

function ApprovalForm({ view, onNotice }: { view: ContestView; onNotice: OnNotice }) {
  const c = view.contest;
  const refresh = useRefreshContest();
  const chair = view.commission.find((m) => m.role === 'chair');
  const [number, setNumber] = useState('');
  const [approvedOn, setApprovedOn] = useState(new Date().toLocaleDateString('en-CA', { timeZone: c.timeZone }));
  const [position, setPosition] = useState(chair?.position ?? '');
  const [name, setName] = useState(
    chair ? `${chair.firstName[0]}.${chair.middleName ? `${chair.middleName[0]}.` : ''} ${chair.lastName}` : '',
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setErrors({});
    if (!number.trim()) {
      setErrors({ number: 'Укажите номер протокола.' });
      return;
    }
    try {
      await approveProtocol(c.id, {
        number: number.trim(),
        approvedOn,
        approverPosition: position.trim(),
        approverName: name.trim(),
      });
      await refresh();
      onNotice(`Протокол № ${number.trim()} утверждён.`);
    } catch (err) {
      setError(contestError(err));
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="contest-approve">
      <h3 id="contest-approve">Утверждение протокола («УТВЕРЖДАЮ»)</h3>
      <p className="small muted">После утверждения ничего в конкурсе изменить нельзя: ни голоса, ни места, ни поручения.</p>
      <div className="contest-grid">
        <TextField id="approve-number" label="Номер протокола" value={number} onValue={setNumber} error={errors.number} />
        <TextField id="approve-date" label="Дата утверждения" type="date" value={approvedOn} onValue={setApprovedOn} />
      </div>
      <TextAreaField id="approve-position" label="Должность утверждающего" rows={2} value={position} onValue={setPosition} />
      <TextField id="approve-name" label="Инициалы и фамилия" value={name} onValue={setName} hint="Например: К.Г. Венгер." />
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button">
        Утвердить протокол
      </button>
    </form>
  );
}

/** The decision's assignments, the approval, the publication and the protocol's files. */
export function ProtocolPanel({ view, onNotice }: { view: ContestView; onNotice?: OnNotice }) {
  const c = view.contest;
  const refresh = useRefreshContest();
  const after = c.status === 'decided' || c.status === 'approved' || c.status === 'published';
  if (c.status === 'setup') return null;
  return (
    <section className="section" aria-labelledby="contest-protocol">
      <h2 id="contest-protocol">Решения и протокол</h2>
      {onNotice && (c.status === 'meeting' || c.status === 'decided') && <AssignmentsForm view={view} onNotice={onNotice} />}
      {!(onNotice && (c.status === 'meeting' || c.status === 'decided')) && view.assignments.length > 0 && (
        <>
          <h3>Поручения</h3>
          <ol>
            {view.assignments.map((a) => (
              <li key={a.id}>
                {a.text}. Ответственный: {a.responsible}
                {a.dueOn ? `. Срок: до ${localDateRu(a.dueOn)}` : ''}.
              </li>
            ))}
          </ol>
        </>
      )}
      {onNotice && c.status === 'decided' && <ApprovalForm view={view} onNotice={onNotice} />}
      {c.protocolNumber && (
        <p>
          Протокол № {c.protocolNumber} утверждён {c.approvedOn ? localDateRu(c.approvedOn) : ''}
          {c.approverName ? ` (${c.approverName})` : ''}.
        </p>
      )}
      {after && (
        <p className="contest-links">
          Протокол заседания:{' '}
          <a href={protocolUrl(c.id, 'docx')} download>
            DOCX
          </a>{' '}
          <a href={protocolUrl(c.id, 'pdf')} download>
            PDF
          </a>
        </p>
      )}
      {onNotice && c.status === 'approved' && (
        <ActionButton
          label="Опубликовать итоги"
          run={async () => {
            await publishResults(c.id);
            await refresh();
            onNotice('Итоги опубликованы на сайте.');
          }}
        />
      )}
      {c.status === 'published' && (
        <p>
          Итоги опубликованы{c.publishedAt ? ` ${instantRu(c.publishedAt, c.timeZone)}` : ''}:{' '}
          <Link to={`/contests/${c.id}`}>страница итогов на сайте</Link>.
        </p>
      )}
    </section>
  );
}
