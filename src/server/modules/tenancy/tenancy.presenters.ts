import { MUNICIPALITY_TYPE_NAMES_RU } from '../../../shared/roles.ts';
import type { DepartmentRow, MunicipalityRow, municipalBoundaryParts } from './tenancy.repository.ts';

/** `hasBoundary`: whether the places module holds the municipality's own boundary (a place of kind `municipality`). */
export function presentMunicipality(m: MunicipalityRow, hasBoundary: boolean) {
  return {
    id: m.id,
    regionId: m.region_id,
    name: m.name,
    shortName: m.short_name,
    slug: m.slug,
    casePrefix: m.case_prefix,
    type: m.type,
    typeName: MUNICIPALITY_TYPE_NAMES_RU[m.type],
    oktmo: m.oktmo,
    population: m.population,
    timeZone: m.time_zone,
    hasBoundary,
    isActive: m.is_active,
  };
}

export function presentDepartment(d: DepartmentRow) {
  return {
    id: d.id,
    municipalityId: d.municipality_id,
    name: d.name,
    email: d.email,
    phone: d.phone,
    isActive: d.is_active,
  };
}

type BoundaryPart = Awaited<ReturnType<typeof municipalBoundaryParts>>[number];

/**
 * The municipality's boundary as one GeoJSON Feature (RFC 7946 §3.2) with a MultiPolygon of [lon, lat]: the
 * polygons of all its places of kind `municipality` (usually one; an exclave may be imported as another).
 */
export function presentBoundary(m: MunicipalityRow, parts: BoundaryPart[]) {
  return {
    type: 'Feature' as const,
    id: m.id,
    geometry: {
      type: 'MultiPolygon' as const,
      coordinates: parts.flatMap((p) => p.geometry as number[][][][]),
    },
    properties: {
      municipalityId: m.id,
      name: m.name,
      /** Drawn by hand (the demo's boundaries), not the legal boundary. */
      isApproximate: parts.some((p) => p.is_approximate),
      placeIds: parts.map((p) => p.id),
    },
  };
}
