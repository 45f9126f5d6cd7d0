import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../app/api.ts';
import { type MarkerColumns, markersOf } from './markers.ts';

// The public map of reports (issue 5): GET /map/*, boundaries (GET /places, helper P) and a category's questions
// (GET /categories/{id}/attributes, helper O). A route not there yet (404) counts as "none".

export type Bbox = [number, number, number, number];

export interface MapConfig {
  tileUrl: string | null;
  attribution: string | null;
}

export interface Marker {
  id: number;
  number: string;
  lat: number;
  lon: number;
  categoryId: number | null;
  status: 'open' | 'solved';
  at: string;
  /** Staff's map of the queue: past its deadline (drawn red). The public map never sets it. */
  overdue?: boolean;
}

export interface Report {
  id: number;
  number: string;
  regime: string;
  municipalityId: number;
  municipalityName: string;
  categoryId: number | null;
  categoryName: string | null;
  status: 'open' | 'solved';
  address: string | null;
  lat: number;
  lon: number;
  receivedAt: string;
  answeredAt: string | null;
  joined: number;
  timeline: Array<{ type: string; at: string }>;
  photos: { before: string | null; after: string | null };
}

export interface Nearby {
  id: number;
  number: string;
  lat: number;
  lon: number;
  categoryId: number | null;
  address: string | null;
  receivedAt: string;
  distance: number;
}

export interface PlaceFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: { id: number; name: string; kind: string; municipalityId: number; isApproximate: boolean };
}

export interface Attribute {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  variable: boolean;
  description: string;
  datatypeDescription: string | null;
  order: number;
  values: Array<{ key: string; name: string }>;
}

export interface Municipality {
  id: number;
  name: string;
}

const missing = (error: unknown) => error instanceof ApiError && error.status === 404;

/** A list from a route that may not exist yet: 404 → empty. */
async function orEmpty<T>(load: () => Promise<T[]>): Promise<T[]> {
  try {
    return await load();
  } catch (error) {
    if (missing(error)) return [];
    throw error;
  }
}

export function useMapConfig() {
  return useQuery({
    queryKey: ['map', 'config'],
    queryFn: () => api<MapConfig>('/map/config').catch(() => ({ tileUrl: null, attribution: null })),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface MarkerFilter {
  municipalityId?: number | undefined;
  categoryId?: number | undefined;
  status?: 'open' | 'solved' | undefined;
}

/**
 * The markers in a box, asked for as columns (`layout=columns`: a list per field — fewer bytes than an object per
 * marker and less work for the server with 20,000 markers) and made into MapMarker objects.
 */
export function useMarkers(bbox: Bbox | null, f: MarkerFilter) {
  return useQuery({
    queryKey: ['map', 'reports', bbox?.map((x) => x.toFixed(3)).join(','), f.municipalityId, f.categoryId, f.status],
    queryFn: async ({ signal }) =>
      markersOf(
        await api<MarkerColumns>('/map/reports', {
          query: { bbox: bbox?.join(','), ...f, layout: 'columns' },
          signal,
        }),
      ),
    enabled: bbox !== null,
    placeholderData: (previous) => previous,
    staleTime: 30_000,
  });
}

export function useBoundaries(municipalityId: number | undefined) {
  return useQuery({
    queryKey: ['places', municipalityId ?? 'all'],
    queryFn: () =>
      orEmpty(() => api<{ features: PlaceFeature[] }>('/places', { query: { municipalityId } }).then((b) => b.features)),
    staleTime: 10 * 60_000,
  });
}

export function useReport(id: number) {
  return useQuery({
    queryKey: ['map', 'report', id],
    queryFn: () => api<Report>(`/map/reports/${id}`),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function useMunicipalities() {
  return useQuery({
    queryKey: ['municipalities', 'public'],
    queryFn: () => api<{ items: Municipality[] }>('/municipalities').then((b) => b.items),
    staleTime: 10 * 60_000,
  });
}

export function useAttributes(categoryId: number | null) {
  return useQuery({
    queryKey: ['categories', categoryId, 'attributes'],
    queryFn: () => orEmpty(() => api<{ items: Attribute[] }>(`/categories/${categoryId}/attributes`).then((b) => b.items)),
    enabled: categoryId !== null,
    staleTime: 5 * 60_000,
  });
}

export function useNearby(point: { lat: number; lon: number } | null, categoryId: number | null) {
  return useQuery({
    queryKey: ['map', 'nearby', point?.lat.toFixed(6), point?.lon.toFixed(6), categoryId],
    queryFn: () =>
      api<{ items: Nearby[] }>('/map/nearby', { query: { lat: point?.lat, lon: point?.lon, categoryId } }).then((b) => b.items),
    enabled: point !== null && categoryId !== null,
  });
}

/** Where a point lies (helper P's GET /places/locate); null when boundaries are not known (404). */
export async function locate(lat: number, lon: number) {
  try {
    return await api<{ municipality: Municipality | null; district: Municipality | null }>('/places/locate', {
      query: { lat, lon },
    });
  } catch (error) {
    if (missing(error)) return null;
    throw error;
  }
}

export const joinReport = (id: number) =>
  api<{ id: number; number: string; primaryId: number; primaryNumber: string; joined: boolean }>(`/cases/${id}/join`, {
    method: 'POST',
    body: {},
  });

export interface ReportInput {
  municipalityId: number;
  channel: 'web';
  categoryId: number;
  text: string;
  address?: string;
  lat: number;
  lon: number;
  attachmentIds?: number[];
  attributes?: Record<string, string | string[]>;
}

export const submitReport = (input: ReportInput, idempotencyKey: string) =>
  api<{ id: number; number: string }>('/cases', {
    method: 'POST',
    body: input,
    headers: { 'idempotency-key': idempotencyKey },
  });
