import type { Insertable, Selectable } from 'kysely';
import { type AuditEntry, writeAudits } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import { connectionLimit, connectionWaiters, type Db } from '../../../core/db/index.ts';
import type { CaseCosignerTable, CaseEventTable, CaseTable } from '../../../core/db/schema.ts';
import { enqueueMany } from '../../../core/jobs/index.ts';
import { mailJob } from '../../../core/mail/mail-job.ts';
import { type CaseAttachment, linkAttachments } from '../../attachments/index.ts';
import { createNotices } from '../../notices/index.ts';
import { type CaseRow, findByIdempotencyKeys, lockIdempotencyKeys, nextCaseNumbers } from '../cases.repository.ts';
import { IntakeReferences, intakeReferences, type Reference } from '../intake-references.ts';

/**
 * Group commit for the intake. Every channel's submission is checked on its own (submit-case.ts: the form, the
 * category, the place, the deadlines); what is left — the number, the case row, its two timeline events, co-signers,
 * attachments, the audit row, the confirmation letter and the cabinet notice — is written here, together with
 * every other submission that arrived while the previous batch was committing: one transaction and a handful of
 * multi-row statements for the whole batch instead of about ten round trips per case. An idle intake writes a
 * lone submission at once (a batch of one), so batching adds no wait; under load the batch grows by itself.
 *
 * Nothing accepted is lost and nothing fails because of a neighbour: if a batch's transaction fails, it is written
 * again in halves (and those in halves), so only the submission at fault gets the error. A submission is answered only after
 * its transaction has committed. Numbers taken by a rolled-back batch are not reused (a sequence, as before).
 */

/** A checked submission, ready to be written: rows as functions of the number and id the batch gives it. */
export interface PreparedSubmission {
  ctx: CommandContext;
  municipalityId: number;
  /** The municipality's number prefix (КЕМ) and the year of registration: the number is `КЕМ-2026-000123`. */
  prefix: string;
  year: number;
  idempotency: { scope: string; key: string } | null;
  /** The cached reference rows it was checked against (intake-references.ts): the batch checks they still hold. */
  references: readonly Reference[];
  attachmentIds: readonly number[];
  /** What the card shows beyond the row: the municipality's zone and the category's name. */
  card: { timeZone: string; categoryName: string | null };
  caseValues(number: string): Insertable<CaseTable>;
  events(caseId: number, number: string): Array<Insertable<CaseEventTable>>;
  coSigners: ReadonlyArray<Omit<Insertable<CaseCosignerTable>, 'case_id'>>;
  audit(caseId: number, number: string): AuditEntry;
  letter(number: string): { subject: string; text: string; email: string | null; noticeUserId: number | null };
}

export type CardEvent = Selectable<CaseEventTable> & { actor_last_name: string | null; actor_first_name: string | null };

/** The new case as its card shows it, from the rows just written (attachments are read after the commit). */
export interface NewCaseCard {
  case: CaseRow & { attachments?: readonly CaseAttachment[] };
  events: CardEvent[];
  coSigners: Array<{
    last_name: string;
    first_name: string;
    middle_name: string | null;
    email: string | null;
    postal_address: string | null;
  }>;
  /** A new case is in no cluster yet. */
  cluster: null;
}

/**
 * A submission checked against a municipality or category row that has changed since (intake-references.ts): it was
 * not written; the intake checks it again with the current rows.
 */
export class StaleReferencesError extends Error {
  constructor() {
    super('a row this submission was checked against changed before it was written');
  }
}

export interface IntakeResult {
  id: number;
  created: boolean;
  /** Only for a case made now. */
  card?: NewCaseCard;
}

/** At most this many submissions per transaction (also bounds the statements' parameter counts). */
const MAX_BATCH = 100;

/** Writes a batch in the caller's transaction. Exported for tests; the intake calls it through `IntakeBatcher`. */
export async function writeSubmissions(
  trx: Db,
  items: readonly PreparedSubmission[],
  references: IntakeReferences = new IntakeReferences(trx),
): Promise<Array<IntakeResult | StaleReferencesError>> {
  const results: Array<IntakeResult | StaleReferencesError | undefined> = new Array(items.length);
  // First, in this transaction: are the municipality and category rows the submissions were checked against unchanged?
  const used = items.flatMap((item) => item.references);
  if (used.length > 0) {
    const changed = await references.changed(trx, used);
    for (const [i, item] of items.entries()) {
      if (IntakeReferences.isStale(item.references, changed)) results[i] = new StaleReferencesError();
    }
  }
  // Idempotency: a key already used by its scope returns that case; the same key twice in one batch makes one case.
  const scoped = (i: number) => {
    const k = items[i]!.idempotency;
    return k ? `${k.scope}:${k.key}` : null;
  };
  const sameAs = new Map<number, number>(); // index → index of the batch's first submission with its key
  const keyed = items.map((_, i) => i).filter((i) => results[i] === undefined && scoped(i) !== null);
  if (keyed.length > 0) {
    await lockIdempotencyKeys(
      trx,
      keyed.map((i) => scoped(i)!),
    );
    const existing = await findByIdempotencyKeys(
      trx,
      keyed.map((i) => items[i]!.idempotency!),
    );
    const found = new Map(existing.map((r) => [`${r.idempotency_scope}:${r.idempotency_key}`, r.id]));
    const first = new Map<string, number>();
    for (const i of keyed) {
      const k = scoped(i)!;
      const id = found.get(k);
      if (id !== undefined) results[i] = { id, created: false };
      else if (first.has(k)) sameAs.set(i, first.get(k)!);
      else first.set(k, i);
    }
  }
  const fresh = items.map((_, i) => i).filter((i) => results[i] === undefined && !sameAs.has(i));
  if (fresh.length > 0) {
    const seqs = await nextCaseNumbers(
      trx,
      fresh.map((i) => ({ municipalityId: items[i]!.municipalityId, year: items[i]!.year })),
    );
    const numbers = new Map<number, string>();
    const values = fresh.map((i, j) => {
      const item = items[i]!;
      const number = `${item.prefix}-${item.year}-${String(seqs[j]).padStart(6, '0')}`;
      numbers.set(i, number);
      return item.caseValues(number);
    });
    // Only the ids come back: the card is built from the values written (smaller results: on PGlite the protocol's
    // parsing is a good part of an intake's cost).
    const inserted = await trx.insertInto('case').values(values).returning(['id', 'number']).execute();
    const idByNumber = new Map(inserted.map((r) => [r.number, r.id]));
    const rowOf = (i: number) => ({ id: idByNumber.get(numbers.get(i)!)! });
    const valuesOf = new Map(fresh.map((i, j) => [i, values[j]!]));

    const eventValues = fresh.flatMap((i) => items[i]!.events(rowOf(i).id, numbers.get(i)!));
    const eventIds = await trx.insertInto('case_event').values(eventValues).returning('id').execute();
    // The serial ids are drawn in the order of the VALUES list: ascending ids match the values in order.
    const ids = eventIds.map((r) => r.id).sort((a, b) => a - b);
    const events = eventValues.map((e, k) => ({
      id: ids[k]!,
      case_id: e.case_id,
      at: e.at as Date,
      actor_user_id: e.actor_user_id ?? null,
      type: e.type,
      data: typeof e.data === 'string' ? (JSON.parse(e.data) as unknown) : (e.data ?? null),
      deadline_at: (e.deadline_at as Date | null | undefined) ?? null,
      late: e.late ?? null,
    }));
    const cosigners = fresh.flatMap((i) => items[i]!.coSigners.map((x) => ({ ...x, case_id: rowOf(i).id })));
    if (cosigners.length > 0) await trx.insertInto('case_cosigner').values(cosigners).execute();
    for (const i of fresh) {
      const item = items[i]!;
      if (item.attachmentIds.length > 0) {
        await linkAttachments(trx as never, item.ctx, { caseId: rowOf(i).id, municipalityId: item.municipalityId }, [
          ...item.attachmentIds,
        ]);
      }
    }
    await writeAudits(
      trx,
      fresh.map((i) => ({ ctx: items[i]!.ctx, entry: items[i]!.audit(rowOf(i).id, numbers.get(i)!) })),
    );
    const letters = fresh.map((i) => ({ i, letter: items[i]!.letter(numbers.get(i)!) }));
    await enqueueMany(
      trx,
      letters
        .filter((l) => l.letter.email)
        .map((l) => mailJob(items[l.i]!.ctx, { to: l.letter.email!, subject: l.letter.subject, text: l.letter.text })),
    );
    await createNotices(
      trx,
      letters
        .filter((l) => l.letter.noticeUserId !== null)
        .map((l) => ({
          userId: l.letter.noticeUserId!,
          caseId: rowOf(l.i).id,
          kind: 'case_registered' as const,
          title: l.letter.subject,
          text: l.letter.text,
          at: items[l.i]!.ctx.now,
        })),
    );

    const eventsOf = groupBy(events, (e) => e.case_id);
    for (const i of fresh) {
      const row = rowOf(i);
      const item = items[i]!;
      const p = item.ctx.principal;
      const v = valuesOf.get(i)!;
      results[i] = {
        id: row.id,
        created: true,
        card: {
          case: {
            ...v,
            id: row.id,
            deadlines: JSON.parse(v.deadlines as string) as unknown,
            attributes: typeof v.attributes === 'string' ? (JSON.parse(v.attributes) as unknown) : null,
            is_anonymous: v.is_anonymous ?? false,
            draft_text: null,
            draft_result: null,
            answer_text: null,
            answer_result: null,
            answered_at: null,
            extension_count: 0,
            closure_reason: null,
            closure_comment: null,
            forwarded_to: null,
            closed_at: null,
            cluster_primary_id: null,
            time_zone: item.card.timeZone,
            category_name: item.card.categoryName,
            executor_last_name: null,
            executor_first_name: null,
            cluster_primary_number: null,
            cluster_primary_status: null,
          } as CaseRow,
          events: (eventsOf.get(row.id) ?? [])
            .sort((a, b) => a.id - b.id)
            .map((e) => ({
              ...e,
              actor_last_name: p && e.actor_user_id === p.userId ? p.lastName : null,
              actor_first_name: p && e.actor_user_id === p.userId ? p.firstName : null,
            })),
          coSigners: item.coSigners.map((x) => ({
            last_name: x.last_name,
            first_name: x.first_name,
            middle_name: x.middle_name ?? null,
            email: x.email ?? null,
            postal_address: x.postal_address ?? null,
          })),
          cluster: null,
        },
      };
    }
  }
  for (const [i, first] of sameAs) results[i] = { id: (results[first] as IntakeResult).id, created: false };
  return results as Array<IntakeResult | StaleReferencesError>;
}

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

interface Pending {
  item: PreparedSubmission;
  resolve(result: IntakeResult): void;
  reject(error: unknown): void;
}

/** Batches writing at once, at most (and never more than the handle's connections). */
const MAX_IN_FLIGHT = 2;

/** How long a batch waits for submissions still being checked before it goes without them. */
const GATHER_MAX_MS = 10;

/**
 * One intake queue per database handle: submissions wait for the batch in flight, then go together. A batch about to
 * start also waits (at most GATHER_MAX_MS) for the submissions whose checks are under way (`preparing()`): on the
 * embedded database every statement takes its turn on the one connection, so without this wait each batch would
 * start as soon as its first submission is ready and hold one.
 */
export class IntakeBatcher {
  private readonly queue: Pending[] = [];
  private gathering = false;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private inPreparation = 0;
  /** For the benchmark's table: transactions committed, submissions in them, the largest, batches that failed. */
  readonly stats = { batches: 0, submissions: 0, largest: 0, failedBatches: 0 };

  constructor(private readonly db: Db) {
    this.maxInFlight = Math.min(MAX_IN_FLIGHT, connectionLimit(db));
  }

  /** A submission's checks begin; call the returned function when they end (whether or not it is submitted). */
  preparing(): () => void {
    this.inPreparation++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inPreparation--;
    };
  }

  submit(item: PreparedSubmission): Promise<IntakeResult> {
    return new Promise<IntakeResult>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /**
   * Starts the next batch when there is a queue, no batch is gathering, and fewer than `maxInFlight` are writing. On a
   * server two batches write at once on two connections (the database works on one while this process prepares the
   * other); their idempotency keys are locked in one order, so they cannot deadlock, and a key in both is decided by
   * whichever commits first. PGlite has one connection: one batch at a time.
   */
  private pump(): void {
    if (this.gathering || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.gathering = true;
    void (async () => {
      try {
        if (this.queue.length < MAX_BATCH) await this.gather();
      } finally {
        this.gathering = false;
      }
      const batch = this.queue.splice(0, MAX_BATCH);
      if (batch.length > 0) {
        this.inFlight++;
        void this.flush(batch).finally(() => {
          this.inFlight--;
          this.pump();
        });
      }
      this.pump();
    })();
  }

  /**
   * Lets the submissions that are on their way join the batch: yields to the event loop (one `setImmediate` at a
   * time) while the queue keeps growing, a submission is being checked, or a statement waits for a connection (most
   * likely the next submission's checks), for at most GATHER_MAX_MS. On the embedded database this matters most:
   * PGlite runs a statement synchronously, so while a batch commits no other request moves, and without the yield
   * every batch would hold the one submission that happened to be ready. An idle intake loses one turn of the loop.
   */
  private async gather(): Promise<void> {
    const until = performance.now() + GATHER_MAX_MS;
    let seen = -1;
    while (this.queue.length < MAX_BATCH && performance.now() < until) {
      const growing = this.queue.length > seen;
      if (!growing && this.inPreparation === 0 && connectionWaiters(this.db) === 0) return;
      seen = this.queue.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const results = await this.db.transaction().execute((trx) =>
        writeSubmissions(
          trx,
          batch.map((p) => p.item),
          intakeReferences(this.db),
        ),
      );
      this.stats.batches++;
      this.stats.submissions += batch.length;
      this.stats.largest = Math.max(this.stats.largest, batch.length);
      for (const [i, p] of batch.entries()) {
        const r = results[i]!;
        if (r instanceof StaleReferencesError) p.reject(r);
        else p.resolve(r);
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Someone in the batch is at fault (an attachment that is not theirs, say): halves, until only they fail.
      this.stats.failedBatches++;
      const half = Math.ceil(batch.length / 2);
      await this.flush(batch.slice(0, half));
      await this.flush(batch.slice(half));
    }
  }
}

const batchers = new WeakMap<Db, IntakeBatcher>();

/** The intake queue of a database handle. */
export function intakeFor(db: Db): IntakeBatcher {
  let b = batchers.get(db);
  if (!b) {
    b = new IntakeBatcher(db);
    batchers.set(db, b);
  }
  return b;
}
