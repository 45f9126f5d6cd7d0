/**
 * The gazetteer (issue 6, item 4), pure: which place a post names — municipalities, settlements, districts and
 * streets in their inflected forms, with the false-positive rules and the choice among several places documented in
 * gazetteer.ts. Data comes in as entries (from the database, the import format of csv.ts, or the demo set).
 *
 *   const gazetteer = new Gazetteer(entries);
 *   gazetteer.resolve('Яма на улице Весенней в Кемерове') // → { place: { kind: 'street', … }, ambiguous, candidates }
 */
export { type GazetteerCsvError, type GazetteerCsvResult, parseGazetteerCsv } from './csv.ts';
export { DEMO_GAZETTEER_CSV, demoGazetteerEntries } from './demo-gazetteer.ts';
export {
  Gazetteer,
  type GazetteerEntry,
  normalisePlaceName,
  PLACE_KINDS,
  type PlaceId,
  type PlaceKind,
  type PlaceMention,
  type PlaceResolution,
} from './gazetteer.ts';
