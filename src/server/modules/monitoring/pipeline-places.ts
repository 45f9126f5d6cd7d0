import { type GazetteerEntry, normalisePlaceName, type PlaceKind, type PlaceResolution } from './gazetteer/index.ts';
import type { StoredPlace } from './monitoring-db.ts';

/**
 * The gazetteer's entries from the database (pure): every active municipality by its short name (its full name an
 * alias), the places module's districts, and the imported entries (monitoring_gazetteer_entry: streets, settlements,
 * more names). The same kind and name in one municipality is one entry (the places module's row first, so a district
 * keeps its place id), with the aliases of both.
 *
 * Entry ids say where they come from: `m<municipality id>`, `p<place id>` (a district of the places module), `g<id>`.
 */
export interface GazetteerSources {
  municipalities: ReadonlyArray<{ id: number; name: string; short_name: string }>;
  districts: ReadonlyArray<{ id: number; municipality_id: number; name: string }>;
  entries: ReadonlyArray<{
    id: number;
    municipality_id: number;
    kind: PlaceKind;
    name: string;
    aliases: string[];
    strict: boolean;
  }>;
}

export function gazetteerEntriesFrom(s: GazetteerSources): GazetteerEntry[] {
  const byKey = new Map<string, GazetteerEntry>();
  const put = (e: GazetteerEntry) => {
    const key = `${e.municipalityId}:${e.kind}:${normalisePlaceName(e.name)}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...e, aliases: [...(e.aliases ?? [])] });
      return;
    }
    for (const a of e.aliases ?? []) if (!seen.aliases!.includes(a) && a !== seen.name) seen.aliases!.push(a);
    if (e.strict) seen.strict = true;
  };
  for (const m of s.municipalities) {
    const name = m.short_name.trim() || m.name;
    put({ id: `m${m.id}`, kind: 'municipality', name, municipalityId: m.id, aliases: name === m.name ? [] : [m.name] });
  }
  for (const d of s.districts) put({ id: `p${d.id}`, kind: 'district', name: d.name, municipalityId: d.municipality_id });
  for (const g of s.entries) {
    put({
      id: `g${g.id}`,
      kind: g.kind,
      name: g.name,
      municipalityId: g.municipality_id,
      aliases: g.aliases,
      ...(g.strict && { strict: true }),
    });
  }
  return [...byKey.values()];
}

/** What is stored of a resolution: the chosen mention, or null (the post goes by its source or query, else regional). */
export function storedPlace(r: PlaceResolution): StoredPlace | null {
  const m = r.place;
  if (!m) return null;
  const id = String(m.placeId);
  return {
    kind: m.kind,
    name: m.name,
    text: m.text,
    from: m.start,
    to: m.end,
    municipalityId: typeof m.municipalityId === 'number' ? m.municipalityId : Number(m.municipalityId),
    placeId: id.startsWith('p') ? Number(id.slice(1)) : null,
    ambiguous: r.ambiguous,
  };
}
