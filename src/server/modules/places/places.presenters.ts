import type { listPlaceRoutes, listPlaces } from './places.repository.ts';

type PlaceRow = Awaited<ReturnType<typeof listPlaces>>[number];

export function presentPlace(p: PlaceRow) {
  return {
    type: 'Feature' as const,
    id: p.id,
    geometry: { type: 'MultiPolygon' as const, coordinates: p.geometry as number[][][][] },
    properties: {
      id: p.id,
      name: p.name,
      kind: p.kind,
      code: p.code,
      municipalityId: p.municipality_id,
      isApproximate: p.is_approximate,
    },
  };
}

export function presentPlaceRoutes(rows: Awaited<ReturnType<typeof listPlaceRoutes>>) {
  return {
    routes: rows.map((r) => ({
      categoryId: r.category_id,
      categoryName: r.category_name,
      placeId: r.place_id,
      placeName: r.place_name,
      departmentId: r.department_id,
      departmentName: r.department_name,
    })),
  };
}
