/**
 * Demo boundaries (issue 5): APPROXIMATE polygons drawn by hand around the demo municipalities, not the legal
 * boundaries (every feature is marked `isApproximate`). GeoJSON order: [longitude, latitude]. Кемерово's districts
 * share their edges exactly (the same named vertices), so a point on a border between two districts lies on both;
 * Мариинск is an enclave — a hole — of the Калининское settlement around it (illustrative: the hole is Мариинск's
 * own ring).
 */
type P = [number, number];

const ring = (...points: P[]): P[] => [...points, points[0] as P];
const feature = (kind: 'municipality' | 'district', name: string, polygon: P[][], code?: string) => ({
  type: 'Feature' as const,
  properties: { name, kind, isApproximate: true, ...(code && { code }) },
  geometry: { type: 'Polygon' as const, coordinates: polygon },
});

// Кемерово (centre ≈ 55.355 N 86.087 E): the Томь runs roughly along 55.37 N; Рудничный lies north of it.
const K = {
  sw: [85.93, 55.26] as P,
  s1: [86.03, 55.25] as P, // Заводский | Центральный
  s2: [86.13, 55.25] as P, // Центральный | Ленинский
  se: [86.28, 55.27] as P,
  e: [86.3, 55.37] as P, // Ленинский | Рудничный
  ne: [86.27, 55.47] as P,
  n: [86.05, 55.49] as P,
  nw: [85.92, 55.45] as P,
  w: [85.9, 55.37] as P, // Заводский | Рудничный
  r1: [86.03, 55.37] as P, // Заводский | Центральный | Рудничный
  r2: [86.13, 55.37] as P, // Центральный | Ленинский | Рудничный
};

// Мариинск (≈ 56.21 N 87.75 E) and the Калининское settlement around it.
const MARIINSK: P[] = ring([87.68, 56.17], [87.83, 56.17], [87.83, 56.25], [87.76, 56.26], [87.68, 56.25]);

/** Per demo municipality key: a boundary file as the importer takes it. */
export const DEMO_BOUNDARIES: Record<string, { type: 'FeatureCollection'; features: ReturnType<typeof feature>[] }> = {
  kemerovo: {
    type: 'FeatureCollection',
    features: [
      feature('municipality', 'Кемеровский городской округ', [ring(K.sw, K.s1, K.s2, K.se, K.e, K.ne, K.n, K.nw, K.w)]),
      feature('district', 'Заводский район', [ring(K.sw, K.s1, K.r1, K.w)]),
      feature('district', 'Центральный район', [ring(K.s1, K.s2, K.r2, K.r1)]),
      feature('district', 'Ленинский район', [ring(K.s2, K.se, K.e, K.r2)]),
      feature('district', 'Рудничный район', [ring(K.w, K.r1, K.r2, K.e, K.ne, K.n, K.nw)]),
    ],
  },
  belovo: {
    type: 'FeatureCollection',
    features: [
      feature('municipality', 'Беловский городской округ', [ring([86.15, 54.35], [86.45, 54.36], [86.44, 54.5], [86.17, 54.49])]),
    ],
  },
  mariinsk: {
    type: 'FeatureCollection',
    features: [feature('municipality', 'Мариинское городское поселение', [MARIINSK])],
  },
  kalininskoe: {
    type: 'FeatureCollection',
    features: [
      feature('municipality', 'Калининское сельское поселение', [
        ring([87.5, 56.05], [88.0, 56.05], [88.0, 56.35], [87.5, 56.35]),
        MARIINSK,
      ]),
    ],
  },
};
