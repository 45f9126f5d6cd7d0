import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { CategoryTable } from '../../core/db/schema.ts';
import { listAttributes } from './attributes.repository.ts';
import type { AttributeDef } from './attributes.ts';
import { findCategory, findMunicipalityForCases } from './cases.repository.ts';

/**
 * The reference rows every submission reads before it is written — its municipality (zone, prefix, deadline settings,
 * region) and its category with the category's questions — kept per database handle, each with a fingerprint made of
 * the rows' `xmin` (the transaction that last wrote the row: it changes on every update, on PostgreSQL and PGlite
 * alike). A submission is checked against the cached rows and remembers their fingerprints; the intake batch reads
 * the current fingerprints of all the rows its submissions used in one statement, inside its transaction, and a
 * submission checked against a row that has changed since (an admin edited the deadline settings, deactivated the
 * category, added a required question — on this node or another) is not written but checked again with fresh rows.
 * So the cache is never trusted past the moment of writing, and the intake saves two or three reads per submission.
 * A submission the cached rows refuse (an inactive category, a missing answer) is checked once more with rows read
 * afresh (`fresh`) before the refusal stands: a row changed on another node cannot refuse it wrongly either.
 */

export type MunicipalityForCases = NonNullable<Awaited<ReturnType<typeof findMunicipalityForCases>>>;
export interface CategoryForCases {
  row: Selectable<CategoryTable>;
  attributes: AttributeDef[];
}

/** A row a submission was checked against and its fingerprint then. */
export interface Reference {
  kind: 'municipality' | 'category';
  id: number;
  fingerprint: string;
}

/** A cached row and the reference a submission checked against it carries to the batch. */
export interface Cached<T> {
  value: T;
  reference: Reference;
}

const keyOf = (r: Pick<Reference, 'kind' | 'id'>) => `${r.kind}:${r.id}`;

// One definition of each fingerprint, for the read that fills the cache and for the batch's check.
const municipalityFingerprint = sql<string>`(select m.xmin::text || ':' || r.xmin::text from municipality m join region r on r.id = m.region_id where m.id = ref.id)`;
const categoryFingerprint = sql<string>`(select c.xmin::text || ':' || coalesce((select string_agg(a.id || '@' || a.xmin::text, ',' order by a.id) from category_attribute a where a.category_id = c.id), '') from category c where c.id = ref.id)`;

function fingerprints(
  db: Db,
  kind: Reference['kind'],
  ids: readonly number[],
): Promise<Array<{ id: number; fp: string | null }>> {
  const expression: RawBuilder<string> = kind === 'municipality' ? municipalityFingerprint : categoryFingerprint;
  return sql<{ id: number; fp: string | null }>`select ref.id::int as id, ${expression} as fp from unnest(${sql.val([
    ...ids,
  ])}::int[]) as ref(id)`
    .execute(db)
    .then((r) => r.rows);
}

/** Past this many rows the cache starts again (a region has hundreds of municipalities and some thousand categories). */
const MAX_ENTRIES = 20_000;

export class IntakeReferences {
  private readonly municipalities = new Map<number, { value: MunicipalityForCases; fingerprint: string }>();
  private readonly categories = new Map<number, { value: CategoryForCases; fingerprint: string }>();
  /** For tests and the benchmark: reads that went to the database, and checks that found a changed row. */
  readonly stats = { reads: 0, stale: 0 };

  constructor(private readonly db: Db) {}

  /** The municipality as the intake needs it (undefined: no such municipality), and the reference to check. */
  municipality(id: number, fresh = false): Promise<Cached<MunicipalityForCases> | undefined> {
    return this.cached(this.municipalities, 'municipality', id, fresh, () => findMunicipalityForCases(this.db, id));
  }

  /** The category with its questions (undefined: no such category), and the reference to check. */
  category(id: number, fresh = false): Promise<Cached<CategoryForCases> | undefined> {
    return this.cached(this.categories, 'category', id, fresh, async () => {
      const row = await findCategory(this.db, id);
      return row && { row, attributes: await listAttributes(this.db, id) };
    });
  }

  /** A row from the cache, or read with its fingerprint and kept (`fresh`: read it even if kept). */
  private async cached<T>(
    map: Map<number, { value: T; fingerprint: string }>,
    kind: Reference['kind'],
    id: number,
    fresh: boolean,
    read: () => Promise<T | undefined>,
  ): Promise<Cached<T> | undefined> {
    let hit = fresh ? undefined : map.get(id);
    if (!hit) {
      this.stats.reads++;
      // Fingerprint first: a write between the two reads makes the fingerprint old, never the row.
      const [fp] = await fingerprints(this.db, kind, [id]);
      const value = await read();
      if (!value || !fp?.fp) {
        map.delete(id);
        return undefined;
      }
      hit = { value, fingerprint: fp.fp };
      this.remember(map, id, hit);
    }
    return { value: hit.value, reference: { kind, id, fingerprint: hit.fingerprint } };
  }

  /**
   * In the batch's transaction: which of these references no longer hold (the row was written since, or is gone).
   * Those rows leave the cache. One statement per kind that occurs.
   */
  async changed(trx: Db, references: readonly Reference[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const kind of ['municipality', 'category'] as const) {
      const wanted = new Map<number, Set<string>>();
      for (const r of references) {
        if (r.kind !== kind) continue;
        const fps = wanted.get(r.id) ?? new Set<string>();
        fps.add(r.fingerprint);
        wanted.set(r.id, fps);
      }
      if (wanted.size === 0) continue;
      const current = new Map((await fingerprints(trx, kind, [...wanted.keys()])).map((r) => [r.id, r.fp]));
      for (const [id, fps] of wanted) {
        const now = current.get(id) ?? null;
        for (const fp of fps) {
          if (fp !== now) out.add(`${keyOf({ kind, id })}#${fp}`);
        }
        if ([...fps].some((fp) => fp !== now)) this.forget({ kind, id });
      }
    }
    this.stats.stale += out.size;
    return out;
  }

  /** Whether a submission's references are among those `changed` found. */
  static isStale(references: readonly Reference[], changed: Set<string>): boolean {
    return changed.size > 0 && references.some((r) => changed.has(`${keyOf(r)}#${r.fingerprint}`));
  }

  forget(r: Pick<Reference, 'kind' | 'id'>): void {
    if (r.kind === 'municipality') this.municipalities.delete(r.id);
    else this.categories.delete(r.id);
  }

  private remember<T>(map: Map<number, T>, id: number, value: T): void {
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(id, value);
  }
}

const caches = new WeakMap<Db, IntakeReferences>();

/** The reference cache of a database handle (the intake's, one per handle as the intake queue). */
export function intakeReferences(db: Db): IntakeReferences {
  let c = caches.get(db);
  if (!c) {
    c = new IntakeReferences(db);
    caches.set(db, c);
  }
  return c;
}
