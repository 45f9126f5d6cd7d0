import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { PlaceKind } from '../../../core/db/schema.ts';
import { bboxOf, describeProblems, type GeoJsonProblem, readBoundaries } from '../../../core/geo/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { canAdminPlaces } from '../permissions.ts';
import {
  bumpPlacesRevision,
  countRoutesOf,
  deletePlaces,
  findMunicipality,
  insertPlace,
  lockMunicipalityPlaces,
  type PlaceValues,
  placesOfKinds,
  updatePlace,
} from '../places.repository.ts';
import { placesFor } from '../places-service.ts';

export const PLACE_KINDS: readonly PlaceKind[] = ['municipality', 'district', 'tos'];
const NAME_MAX = 200;
const CODE_MAX = 50;

export interface ImportPlacesResult {
  created: number;
  updated: number;
  removed: number;
  /** District routes that went with the removed places. */
  routesRemoved: number;
  kinds: PlaceKind[];
}

/**
 * Reads a boundary file (GeoJSON; properties `name`, `kind` = municipality | district | tos, optional `code` and
 * `isApproximate`) into place values, collecting every problem — of the geometry (core/geo readBoundaries) and of
 * the properties — so the whole file can be fixed at once. Nothing is valid when anything is wrong.
 */
export function readPlaceFile(doc: unknown): { places: Omit<PlaceValues, 'source'>[]; problems: GeoJsonProblem[] } {
  const geometry = readBoundaries(doc);
  const problems = [...geometry.problems];
  const properties = new Map<number, Omit<PlaceValues, 'source' | 'geometry' | 'box'>>();
  // The properties are checked on every feature, also where the geometry is wrong, so one answer lists everything.
  const seen = new Map<string, number>();
  rawFeatures(doc).forEach((f, index) => {
    const fail = (path: string, message: string) => problems.push({ feature: index, path, message });
    const props = (f as { properties?: unknown } | null)?.properties;
    if (props === null || props === undefined) {
      if (f && typeof f === 'object' && (f as { type?: unknown }).type === 'Feature') fail('properties', 'give name and kind');
      return;
    }
    if (typeof props !== 'object' || Array.isArray(props)) return; // readBoundaries reports it
    const { name, kind, code, isApproximate } = props as Record<string, unknown>;
    const before = problems.length;
    const n = typeof name === 'string' ? name.trim() : '';
    if (!n) fail('properties.name', 'give the place a name');
    else if (n.length > NAME_MAX) fail('properties.name', `at most ${NAME_MAX} characters`);
    if (typeof kind !== 'string' || !PLACE_KINDS.includes(kind as PlaceKind)) {
      fail('properties.kind', `must be one of ${PLACE_KINDS.join(', ')} (is ${JSON.stringify(kind ?? null)})`);
    }
    const c = code === undefined || code === null ? null : typeof code === 'number' ? String(code) : code;
    if (c !== null && (typeof c !== 'string' || c.trim().length === 0 || c.length > CODE_MAX)) {
      fail('properties.code', `a text of 1–${CODE_MAX} characters, or leave it out`);
    }
    if (isApproximate !== undefined && typeof isApproximate !== 'boolean') fail('properties.isApproximate', 'true or false');
    if (problems.length > before) return;
    const key = `${kind}:${n}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail('properties.name', `feature ${first} is already the ${kind} «${n}»; one feature per place (use a MultiPolygon)`);
      return;
    }
    seen.set(key, index);
    properties.set(index, {
      kind: kind as PlaceKind,
      name: n,
      code: typeof c === 'string' ? c.trim() : null,
      isApproximate: isApproximate === true,
    });
  });
  if (problems.length === 0 && geometry.features.length === 0) {
    problems.push({ feature: -1, path: 'features', message: 'the file holds no boundary' });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.feature - b.feature);
    return { places: [], problems };
  }
  const places = geometry.features.map((f) => ({
    ...(properties.get(f.index) as Omit<PlaceValues, 'source' | 'geometry' | 'box'>),
    geometry: f.geometry,
    box: bboxOf(f.geometry),
  }));
  return { places, problems };
}

/** The features of a document as given (readBoundaries reports what is wrong with the document itself). */
function rawFeatures(doc: unknown): unknown[] {
  const d = doc as { type?: unknown; features?: unknown } | null;
  if (!d || typeof d !== 'object') return [];
  if (d.type === 'FeatureCollection') return Array.isArray(d.features) ? d.features : [];
  if (d.type === 'Feature') return [d];
  // A bare Polygon or MultiPolygon has no properties to name it.
  if (d.type === 'Polygon' || d.type === 'MultiPolygon') return [{ type: 'Feature', properties: null }];
  return [];
}

/**
 * A municipality's administrator loads its boundaries. For each kind present in the file the file is the whole
 * truth: a place of that kind with the same name is updated in place (its id, district routes and cases' districts
 * stay), a new name is added, a name no longer in the file is removed (with its district routes). Kinds not in the
 * file are left alone. One transaction with its audit row; any problem in the file → 400 listing them, nothing changed.
 */
export async function importPlaces(
  db: Db,
  ctx: CommandContext,
  municipalityId: number,
  doc: unknown,
  options: { source: string; system?: boolean },
): Promise<ImportPlacesResult> {
  const m = await findMunicipality(db, municipalityId);
  if (!m) throw notFound('Municipality');
  if (!options.system && !canAdminPlaces(ctx.principal, municipalityId)) {
    throw forbidden('Only an administrator of this municipality loads its boundaries');
  }
  const { places, problems } = readPlaceFile(doc);
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The boundary file has ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was changed: ${describeProblems(problems)}`,
      problems.slice(0, 100).map((p) => ({
        field: p.feature < 0 ? p.path || 'body' : `features.${p.feature}.${p.path}`,
        reason: p.message,
      })),
    );
  }
  const kinds = PLACE_KINDS.filter((k) => places.some((p) => p.kind === k));
  const result = await db.transaction().execute(async (trx) => {
    await lockMunicipalityPlaces(trx, municipalityId);
    const existing = await placesOfKinds(trx, municipalityId, kinds);
    const byKey = new Map(existing.map((e) => [`${e.kind}:${e.name}`, e]));
    let created = 0;
    let updated = 0;
    for (const p of places) {
      const values = { ...p, source: options.source };
      const old = byKey.get(`${p.kind}:${p.name}`);
      if (old) {
        await updatePlace(trx, old.id, values, ctx.now);
        byKey.delete(`${p.kind}:${p.name}`);
        updated++;
      } else {
        await insertPlace(trx, municipalityId, values, ctx.now);
        created++;
      }
    }
    const gone = [...byKey.values()];
    const routesRemoved = await countRoutesOf(
      trx,
      gone.map((g) => g.id),
    );
    await deletePlaces(
      trx,
      gone.map((g) => g.id),
    );
    await bumpPlacesRevision(trx);
    await writeAudit(trx, ctx, {
      action: 'places.import',
      entityType: 'municipality',
      entityId: municipalityId,
      municipalityId,
      before: existing.map((e) => ({ id: e.id, kind: e.kind, name: e.name })),
      after: { source: options.source, kinds, places: places.map((p) => ({ kind: p.kind, name: p.name })), routesRemoved },
    });
    return { created, updated, removed: gone.length, routesRemoved, kinds };
  });
  placesFor(db).invalidate();
  return result;
}

/**
 * Adds the places of a boundary file to a municipality that has none yet, inside the caller's transaction (the
 * demo seed; its audit row is the caller's). A file with problems throws with them listed.
 */
export async function seedPlaces(trx: Db, municipalityId: number, doc: unknown, source: string, now: Date): Promise<number> {
  const { places, problems } = readPlaceFile(doc);
  if (problems.length > 0) throw new Error(`boundary file for municipality ${municipalityId}: ${describeProblems(problems)}`);
  for (const p of places) await insertPlace(trx, municipalityId, { ...p, source }, now);
  await bumpPlacesRevision(trx);
  return places.length;
}
