import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../app/api.ts';
import { useMe } from '../../app/session.tsx';
import { Alert, Loading, Notice, QueryError, SelectField, TextField, usePageTitle } from '../../app/ui.tsx';
import { type ApplicationBrief, type Category, type Contest, castBallot, useContest, useRefreshContest } from './contest.api.ts';
import { BackToContest } from './contest-bits.tsx';
import { contestError } from './contest-ru.ts';

/**
 * The voting screen: the admitted applications of each category, ranked by places or scored 1–10 per criterion as
 * the contest's method says; one ballot per member and category, never changed. A commission member votes for their
 * own seat; the region's administrator enters the paper ballot of a member without an account.
 */
export function VotePage() {
  const id = Number(useParams().id);
  const view = useContest(id);
  const { me } = useMe();
  const [notice, setNotice] = useState<string | null>(null);
  const [paperMember, setPaperMember] = useState('');
  /** A ballot refused because one was recorded meanwhile (another tab or device): shown beside the recorded state. */
  const [refused, setRefused] = useState<Record<number, string>>({});
  usePageTitle('Голосование конкурсной комиссии');

  if (view.isPending) return <Loading />;
  if (view.isError) return <QueryError error={view.error} onRetry={() => view.refetch()} />;
  const v = view.data;
  const c = v.contest;
  const regional = !!me?.roles.some((g) => g.role === 'regional_admin' && g.regionId === c.regionId);
  const paper = regional ? v.commission.filter((m) => m.userId === null && m.present) : [];
  const memberId = paperMember ? Number(paperMember) : null;
  const voted =
    memberId !== null ? (v.ballots.find((b) => b.memberId === memberId)?.categoryIds ?? []) : (v.mySeat?.votedCategoryIds ?? []);
  const categories = v.categories.filter((k) => v.applications.some((a) => a.categoryId === k.id && a.status === 'admitted'));
  const empty = v.categories.filter((k) => !categories.includes(k));

  return (
    <>
      <BackToContest id={c.id} title={`«${c.title}» ${c.year}`} />
      <h1>Голосование конкурсной комиссии</h1>
      <p className="lead">
        {c.method === 'ranking'
          ? 'Расставьте допущенные заявки каждой категории по местам: 1 — лучшая практика.'
          : `Оцените каждую допущенную заявку по критериям от 1 до 10 баллов: ${c.criteria.map((k) => `${k.name} (вес ${String(k.weight).replace('.', ',')})`).join(', ')}.`}{' '}
        Голос принимается один раз и не изменяется.
      </p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      {c.status !== 'meeting' ? (
        <Alert kind="info" title="Голосование не открыто">
          <p>
            {c.status === 'setup'
              ? 'Заседание комиссии ещё не открыто: голосовать можно только во время заседания.'
              : 'Заседание закрыто: голосование завершено.'}{' '}
            Этап конкурса: {c.statusName}.
          </p>
        </Alert>
      ) : !v.mySeat && !regional ? (
        <Alert kind="warning" title="Вы не входите в конкурсную комиссию">
          <p>Голосуют только члены комиссии этого конкурса.</p>
        </Alert>
      ) : (
        <>
          {regional && (
            <SelectField
              id="vote-paper-member"
              label="Бумажный бюллетень члена комиссии"
              value={paperMember}
              onValue={setPaperMember}
              hint="Администратор региона вносит бюллетени членов комиссии, голосующих на бумаге."
            >
              <option value="">— выберите члена комиссии —</option>
              {paper.map((m) => (
                <option key={m.id} value={String(m.id)}>
                  {m.name} — {m.roleName}
                </option>
              ))}
            </SelectField>
          )}
          {(v.mySeat || memberId !== null) &&
            categories.map((k) =>
              voted.includes(k.id) ? (
                <section key={k.id} className="card contest-ballot" aria-labelledby={`ballot-${k.id}`}>
                  <h2 id={`ballot-${k.id}`}>{k.label}</h2>
                  {refused[k.id] && (
                    <div className="alert alert--error" role="alert">
                      <p>{refused[k.id]}</p>
                    </div>
                  )}
                  <p className="contest-ok" role="status">
                    {memberId !== null ? 'Бюллетень внесён' : 'Ваш голос учтён'}: бюллетень по этой категории записан. Изменить
                    его нельзя.
                  </p>
                </section>
              ) : (
                <BallotForm
                  key={`${k.id}-${memberId ?? 'me'}`}
                  contest={c}
                  category={k}
                  applications={v.applications.filter((a) => a.categoryId === k.id && a.status === 'admitted')}
                  memberId={memberId}
                  onDone={setNotice}
                  onRefused={(text) => setRefused((r) => ({ ...r, [k.id]: text }))}
                />
              ),
            )}
          {empty.map((k) => (
            <section key={k.id} className="card contest-ballot" aria-labelledby={`ballot-${k.id}`}>
              <h2 id={`ballot-${k.id}`}>{k.label}</h2>
              <p className="muted">Заявок не поступило; места не распределяются.</p>
            </section>
          ))}
        </>
      )}
    </>
  );
}

function BallotForm({
  contest,
  category,
  applications,
  memberId,
  onDone,
  onRefused,
}: {
  contest: Contest;
  category: Category;
  applications: ApplicationBrief[];
  memberId: number | null;
  onDone: (text: string) => void;
  onRefused: (text: string) => void;
}) {
  const refresh = useRefreshContest();
  const P = `ballot-${category.id}`;
  const [places, setPlaces] = useState<string[]>(applications.map(() => ''));
  const [scores, setScores] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = (id: number) => applications.find((a) => a.id === id)?.applicantName ?? `№ ${id}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    let body: Parameters<typeof castBallot>[1];
    if (contest.method === 'ranking') {
      if (places.some((p) => !p)) {
        setError('Выберите заявку для каждого места.');
        return;
      }
      if (new Set(places).size !== places.length) {
        setError('Каждая заявка занимает одно место: одна и та же заявка выбрана дважды.');
        return;
      }
      body = { categoryId: category.id, ranking: places.map(Number) };
    } else {
      const out: Array<{ applicationId: number; scores: Record<string, number> }> = [];
      for (const a of applications) {
        const s: Record<string, number> = {};
        for (const k of contest.criteria) {
          const n = Number(scores[`${a.id}.${k.code}`] ?? '');
          if (!Number.isInteger(n) || n < 1 || n > 10) {
            setError(`«${a.applicantName}», «${k.name}»: поставьте целое число от 1 до 10.`);
            return;
          }
          s[k.code] = n;
        }
        out.push({ applicationId: a.id, scores: s });
      }
      body = { categoryId: category.id, scores: out };
    }
    setBusy(true);
    try {
      await castBallot(contest.id, { ...body, ...(memberId !== null ? { memberId } : {}) });
      onDone(`Голос по категории ${category.code} записан.`);
      await refresh();
    } catch (err) {
      setError(contestError(err));
      // A ballot recorded meanwhile (another tab, another device): the page shows it as recorded, with the refusal.
      if (err instanceof ApiError && err.status === 409) {
        onRefused(contestError(err));
        await refresh();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form contest-ballot" onSubmit={submit} noValidate aria-labelledby={`${P}-title`}>
      <h2 id={`${P}-title`}>{category.label}</h2>
      {contest.method === 'ranking' ? (
        <fieldset className="fieldset">
          <legend className="fieldset__legend fieldset__legend--small">Места</legend>
          {applications.map((slot, i) => (
            <SelectField
              key={`${P}-slot-${slot.id}`}
              id={`${P}-place-${i + 1}`}
              label={`${i + 1} место`}
              value={places[i] ?? ''}
              onValue={(value) => setPlaces((list) => list.map((x, j) => (j === i ? value : x)))}
            >
              <option value="">— выберите заявку —</option>
              {applications.map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {name(a.id)}
                </option>
              ))}
            </SelectField>
          ))}
        </fieldset>
      ) : (
        applications.map((a) => (
          <fieldset key={a.id} className="fieldset contest-scores">
            <legend className="fieldset__legend fieldset__legend--small">{a.applicantName}</legend>
            <div className="contest-grid">
              {contest.criteria.map((k) => (
                <TextField
                  key={k.code}
                  id={`${P}-${a.id}-${k.code}`}
                  label={`${k.name} (1–10)`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={10}
                  value={scores[`${a.id}.${k.code}`] ?? ''}
                  onValue={(value) => setScores((s) => ({ ...s, [`${a.id}.${k.code}`]: value }))}
                />
              ))}
            </div>
          </fieldset>
        ))
      )}
      {error && (
        <div className="alert alert--error" role="alert">
          <p>{error}</p>
        </div>
      )}
      <button type="submit" className="button" disabled={busy}>
        {memberId !== null ? 'Внести бюллетень' : 'Проголосовать'}
      </button>
    </form>
  );
}
