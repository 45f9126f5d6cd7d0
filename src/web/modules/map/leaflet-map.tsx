import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import Supercluster, { type ClusterProperties } from 'supercluster';
import type { Bbox, Marker, PlaceFeature } from './map.api.ts';

/** Кемерово, пл. Советов: where the map opens when nothing else says where. */
export const DEFAULT_CENTER: [number, number] = [55.3547, 86.0873];

export interface LeafletMapProps {
  /** Tile URL template; null → no tile layer: a plain background with boundaries and markers still drawn. */
  tileUrl: string | null;
  attribution?: string | null;
  center?: [number, number];
  zoom?: number;
  boundaries?: PlaceFeature[];
  /** Fit the view to these boundaries once they arrive (the chosen municipality). */
  fitBoundaries?: boolean;
  markers?: Marker[];
  /** The point being reported (a pin), and the reaction to a tap on the map. */
  pick?: { lat: number; lon: number } | null;
  onPick?: (lat: number, lon: number) => void;
  onView?: (bbox: Bbox, zoom: number) => void;
  onMarker?: (id: number) => void;
  label: string;
  className?: string;
}

const STATUS_STYLE = {
  open: { color: '#8a3b00', fillColor: '#e8710a' },
  solved: { color: '#14532d', fillColor: '#2e9e57' },
  overdue: { color: '#7f1d1d', fillColor: '#d92d20' },
} as const;

function clusterIcon(count: number, solvedShare: number) {
  const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
  const label = count < 1000 ? String(count) : `${Math.round(count / 100) / 10}k`;
  const kind = solvedShare > 0.5 ? 'solved' : 'open';
  return L.divIcon({
    html: `<span>${label}</span>`,
    className: `map-cluster map-cluster--${kind}`,
    iconSize: [size, size],
  });
}

const pinIcon = L.divIcon({ className: 'map-pin', html: '<span></span>', iconSize: [28, 40], iconAnchor: [14, 38] });

type Props = { id: number; solved: number; overdue?: boolean };

/**
 * Leaflet with clustering in the browser (supercluster): the markers of the whole box are indexed once, and each
 * view draws only its clusters and single points on a canvas, so tens of thousands of reports stay smooth.
 */
export function LeafletMap(props: LeafletMapProps) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<{ tiles?: L.TileLayer; bounds?: L.GeoJSON; markers: L.LayerGroup; pin?: L.Marker } | null>(null);
  const index = useRef<Supercluster<Props, { solved: number }> | null>(null);
  const handlers = useRef(props);
  handlers.current = props;
  const redraw = () => draw(map.current, layers.current, index.current, (id) => handlers.current.onMarker?.(id));

  // The map itself, once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; later changes go through the effects below
  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, {
      center: props.center ?? DEFAULT_CENTER,
      zoom: props.zoom ?? 12,
      preferCanvas: true,
      zoomSnap: 0.5,
      zoomControl: true,
      attributionControl: true,
      // No zoom/fade transitions: a transition's timer may fire after the map is removed (leaving the page mid-zoom)
      // and Leaflet then reads its removed panes («_leaflet_pos of undefined»). Zooming 20,000 markers is also faster.
      zoomAnimation: false,
      fadeAnimation: false,
      markerZoomAnimation: false,
    });
    m.attributionControl.setPrefix(false);
    map.current = m;
    layers.current = { markers: L.layerGroup().addTo(m) };
    const view = () => {
      const b = m.getBounds();
      // The view on the element too: end-to-end tests and the benchmark read where the map stands.
      if (el.current) el.current.dataset.bounds = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(',');
      handlers.current.onView?.([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], m.getZoom());
      redraw();
    };
    m.on('moveend', view);
    m.on('click', (e: L.LeafletMouseEvent) => handlers.current.onPick?.(e.latlng.lat, e.latlng.lng));
    view();
    return () => {
      // Stop a pan in flight and drop our listeners before the panes go.
      m.off();
      m.stop();
      m.remove();
      map.current = null;
    };
  }, []);

  // Tiles, when a tile server is configured.
  useEffect(() => {
    const m = map.current;
    const l = layers.current;
    if (!m || !l) return;
    l.tiles?.remove();
    delete l.tiles;
    el.current?.classList.toggle('map--no-tiles', !props.tileUrl);
    if (props.tileUrl) {
      l.tiles = L.tileLayer(props.tileUrl, { maxZoom: 19, attribution: props.attribution ?? '' }).addTo(m);
    }
  }, [props.tileUrl, props.attribution]);

  // Boundaries (districts, municipalities): thin lines under the markers, not clickable.
  useEffect(() => {
    const m = map.current;
    const l = layers.current;
    if (!m || !l) return;
    l.bounds?.remove();
    delete l.bounds;
    const features = props.boundaries ?? [];
    if (features.length === 0) return;
    l.bounds = L.geoJSON({ type: 'FeatureCollection', features } as GeoJSON.FeatureCollection, {
      interactive: false,
      style: (f) =>
        f?.properties?.kind === 'municipality'
          ? { color: '#163f73', weight: 2.5, fill: false, dashArray: f.properties.isApproximate ? '6 4' : undefined }
          : { color: '#4a6a94', weight: 1.2, fillColor: '#163f73', fillOpacity: 0.03 },
    }).addTo(m);
    l.bounds.bringToBack();
    if (props.fitBoundaries) {
      const own = features.filter((f) => f.properties.kind === 'municipality');
      const b = L.geoJSON({ type: 'FeatureCollection', features: own.length ? own : features } as GeoJSON.FeatureCollection);
      if (b.getBounds().isValid()) m.fitBounds(b.getBounds(), { padding: [12, 12], animate: false });
    }
  }, [props.boundaries, props.fitBoundaries]);

  // Markers: index them, then draw the current view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw reads refs only
  useEffect(() => {
    const items = props.markers ?? [];
    const sc = new Supercluster<Props, { solved: number }>({
      // Leaflet's tiles are 256 px: with that extent the radius is in screen pixels.
      extent: 256,
      radius: 56,
      maxZoom: 17,
      map: (p) => ({ solved: p.solved }),
      reduce: (acc, p) => {
        acc.solved += p.solved;
      },
    });
    sc.load(
      items.map((r) => ({
        type: 'Feature' as const,
        properties: { id: r.id, solved: r.status === 'solved' ? 1 : 0, ...(r.overdue && { overdue: true }) },
        geometry: { type: 'Point' as const, coordinates: [r.lon, r.lat] },
      })),
    );
    index.current = sc;
    redraw();
    if (el.current) el.current.dataset.markers = String(items.length);
    // Only once an answer has arrived (0 included), drawn above: the benchmark's "the markers are shown" signal.
    if (el.current && props.markers) el.current.dataset.markersLoaded = String(items.length);
  }, [props.markers]);

  // The picked point.
  useEffect(() => {
    const m = map.current;
    const l = layers.current;
    if (!m || !l) return;
    if (!props.pick) {
      l.pin?.remove();
      delete l.pin;
      return;
    }
    const at: [number, number] = [props.pick.lat, props.pick.lon];
    if (l.pin) l.pin.setLatLng(at);
    else l.pin = L.marker(at, { icon: pinIcon, interactive: false, keyboard: false }).addTo(m);
    if (!m.getBounds().contains(at)) m.panTo(at);
  }, [props.pick]);

  return <div ref={el} className={`map ${props.className ?? ''}`} role="application" aria-label={props.label} />;
}

function draw(
  m: L.Map | null,
  l: { markers: L.LayerGroup } | null,
  sc: Supercluster<Props, { solved: number }> | null,
  onMarker: (id: number) => void,
) {
  if (!m || !l || !sc) return;
  l.markers.clearLayers();
  const b = m.getBounds();
  const zoom = Math.round(m.getZoom());
  const found = sc.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom);
  for (const f of found) {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const p = f.properties as Partial<ClusterProperties> & Partial<Props> & { solved: number };
    if (p.cluster && p.cluster_id !== undefined) {
      const clusterId = p.cluster_id;
      const count = p.point_count ?? 0;
      L.marker([lat, lon], {
        icon: clusterIcon(count, p.solved / Math.max(count, 1)),
        title: `${count} сообщений`,
        alt: `${count} сообщений`,
      })
        .on('click', () => m.setView([lat, lon], Math.min(sc.getClusterExpansionZoom(clusterId), 18)))
        .addTo(l.markers);
    } else if (p.id !== undefined) {
      const id = p.id;
      const style = STATUS_STYLE[p.overdue ? 'overdue' : p.solved ? 'solved' : 'open'];
      L.circleMarker([lat, lon], { radius: 8, weight: 2, fillOpacity: 0.9, ...style })
        .on('click', (e) => {
          L.DomEvent.stopPropagation(e);
          onMarker(id);
        })
        .addTo(l.markers);
    }
  }
}
