import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { plural } from '../../app/ui.tsx';
import type { PlaceFeature } from '../map/map.api.ts';
import type { Heat } from './analytics.api.ts';
import { classColor, classOf, HEAT_COLORS, heatClasses } from './heat-scale.ts';

/** Кемерово, пл. Советов (as the public map): where the map opens before it knows better. */
const DEFAULT_CENTER: [number, number] = [55.3547, 86.0873];

// The heat map's own small Leaflet layer: each grid cell with cases is drawn at the cell's size, coloured by its
// count in five classes (no heat plugin, nothing from a CDN). It is drawn over boundaries and works without tiles.

export function HeatMap({
  heat,
  tileUrl,
  attribution,
  boundaries,
  label,
  fitSignal = 0,
}: {
  /** Changes when the view should move to the cells (the page's «к делам на карте»). */
  fitSignal?: number;
  heat: Heat | undefined;
  tileUrl: string | null;
  attribution: string | null;
  boundaries: PlaceFeature[] | undefined;
  label: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<{ tiles?: L.TileLayer; bounds?: L.GeoJSON; cells: L.LayerGroup } | null>(null);
  const fitted = useRef(false);
  const shown = useRef<Heat | undefined>(undefined);

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, {
      center: DEFAULT_CENTER,
      zoom: 11,
      preferCanvas: true,
      zoomSnap: 0.5,
      // No transitions (see leaflet-map.tsx: a timer firing after the map is gone).
      zoomAnimation: false,
      fadeAnimation: false,
      markerZoomAnimation: false,
    });
    m.attributionControl.setPrefix(false);
    map.current = m;
    const cells = L.layerGroup().addTo(m);
    layers.current = { cells };
    // Squares or circles depend on the zoom.
    m.on('zoomend', () => {
      if (shown.current) drawCells(m, cells, shown.current);
    });
    return () => {
      m.off();
      m.stop();
      m.remove();
      map.current = null;
      layers.current = null;
      fitted.current = false;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    const l = layers.current;
    if (!m || !l) return;
    l.tiles?.remove();
    delete l.tiles;
    el.current?.classList.toggle('map--no-tiles', !tileUrl);
    if (tileUrl) l.tiles = L.tileLayer(tileUrl, { maxZoom: 19, attribution: attribution ?? '' }).addTo(m);
  }, [tileUrl, attribution]);

  // The municipality's boundary under the cells; the first view fits it.
  useEffect(() => {
    const m = map.current;
    const l = layers.current;
    if (!m || !l) return;
    l.bounds?.remove();
    delete l.bounds;
    const own = (boundaries ?? []).filter((f) => f.properties.kind === 'municipality');
    if (own.length === 0) return;
    l.bounds = L.geoJSON({ type: 'FeatureCollection', features: own } as GeoJSON.FeatureCollection, {
      interactive: false,
      style: (f) => ({ color: '#163f73', weight: 2, fill: false, dashArray: f?.properties?.isApproximate ? '6 4' : undefined }),
    }).addTo(m);
    l.bounds.bringToBack();
    if (!fitted.current && l.bounds.getBounds().isValid()) {
      m.fitBounds(l.bounds.getBounds(), { padding: [12, 12], animate: false });
      fitted.current = true;
    }
  }, [boundaries]);

  useEffect(() => {
    const m = map.current;
    const l = layers.current;
    shown.current = heat;
    if (!m || !l || !heat) return;
    drawCells(m, l.cells, heat);
    if (el.current) {
      el.current.dataset.cells = String(heat.points.length);
      el.current.dataset.total = String(heat.total);
    }
    // Without a boundary the first answer with cells sets the view.
    if (!fitted.current && heat.points.length > 0) {
      const b = L.latLngBounds(heat.points.map(([lat, lon]) => [lat, lon] as [number, number])).pad(0.2);
      m.fitBounds(b, { animate: false, maxZoom: 14 });
      fitted.current = true;
    }
  }, [heat]);

  // Move the view to the cells when asked.
  useEffect(() => {
    const m = map.current;
    const h = shown.current;
    if (!m || !h || fitSignal === 0 || h.points.length === 0) return;
    const half = h.cellDegrees / 2;
    const corners = h.points.flatMap(([lat, lon]) => [
      [lat - half, lon - half] as [number, number],
      [lat + half, lon + half] as [number, number],
    ]);
    m.fitBounds(L.latLngBounds(corners), { padding: [24, 24], maxZoom: 15, animate: false });
  }, [fitSignal]);

  return <div ref={el} className="map analytics-heat__map" role="application" aria-label={label} />;
}

/** Below this size on screen a cell's square is hard to see: it is drawn as a circle sized by its class instead. */
const MIN_SQUARE_PX = 14;

/**
 * The cells at the map's current zoom: squares of the cell's true size when they are big enough to see, otherwise
 * circles centred on the cell whose radius grows with the class (more cases, bigger), so a whole city stays readable.
 */
function drawCells(m: L.Map, group: L.LayerGroup, heat: Heat) {
  group.clearLayers();
  const half = heat.cellDegrees / 2;
  const max = heat.points.reduce((x, p) => Math.max(x, p[2]), 0);
  const bounds = heatClasses(max);
  const centre = m.getCenter();
  const a = m.latLngToContainerPoint([centre.lat - half, centre.lng - half]);
  const b = m.latLngToContainerPoint([centre.lat + half, centre.lng + half]);
  const squares = Math.min(Math.abs(b.x - a.x), Math.abs(b.y - a.y)) >= MIN_SQUARE_PX;
  // Darker cells on top of lighter ones.
  const sorted = [...heat.points].sort((x, y) => x[2] - y[2]);
  for (const [lat, lon, count] of sorted) {
    const k = classOf(count, bounds);
    const { fill, stroke } = classColor(k, bounds.length);
    const style = { color: stroke, weight: 1, fillColor: fill, fillOpacity: 0.8 };
    const shape = squares
      ? L.rectangle(
          [
            [lat - half, lon - half],
            [lat + half, lon + half],
          ],
          style,
        )
      : L.circleMarker([lat, lon], { ...style, weight: 1.5, radius: 6 + 2 * (k + (HEAT_COLORS.length - bounds.length)) });
    shape.bindTooltip(`${count} ${plural(count, ['дело', 'дела', 'дел'])}`, { direction: 'top' }).addTo(group);
  }
}
