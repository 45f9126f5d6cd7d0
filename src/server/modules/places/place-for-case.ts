import type { Db } from '../../core/db/index.ts';
import { invalid } from '../../core/http/errors.ts';
import { placeRouteDepartment } from './places.repository.ts';
import { placesFor } from './places-service.ts';

export interface PlaceForCase {
  /** The district of the case's municipality the point lies in (stored as `case.place_id`), or null. */
  placeId: number | null;
  /** A district route's department for the case's category, overriding the category's own; undefined when none. */
  departmentId: number | undefined;
}

const fmt = (x: number) => String(Number(x.toFixed(6)));

/**
 * The intake's check of a case's point (call it before the intake's transaction: it reads on `db`). When the
 * municipality has a boundary the point must lie in it (on its edge counts as in), else 400 on `lat` naming the
 * problem; the district of that municipality holding the point is returned, with the department a district route
 * (category × district) sends the category's cases to. A municipality without boundaries accepts any point.
 */
export async function placeForCase(
  db: Db,
  input: { municipalityId: number; municipalityName: string; lat: number; lon: number; categoryId: number | null },
): Promise<PlaceForCase> {
  const places = placesFor(db);
  const hits = await places.hits(input.lat, input.lon);
  const own = hits.filter((h) => h.area.value.municipalityId === input.municipalityId);
  if ((await places.hasBoundary(input.municipalityId)) && !own.some((h) => h.area.value.kind === 'municipality')) {
    const point = `the point ${fmt(input.lat)}, ${fmt(input.lon)}`;
    const other = hits.find((h) => h.area.value.kind === 'municipality');
    throw invalid(
      'lat',
      other
        ? `${point} lies outside ${input.municipalityName}; it is in ${other.area.value.municipalityName} — send it there or check the point`
        : `${point} lies outside ${input.municipalityName} and every other boundary we know — check the point (latitude first, then longitude)`,
    );
  }
  const district = own.find((h) => h.area.value.kind === 'district');
  if (!district) return { placeId: null, departmentId: undefined };
  const placeId = district.area.value.placeId;
  const departmentId = input.categoryId === null ? undefined : await placeRouteDepartment(db, input.categoryId, placeId);
  return { placeId, departmentId };
}
