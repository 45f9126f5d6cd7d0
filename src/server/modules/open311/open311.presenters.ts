import type { Selectable } from 'kysely';
import type { CategoryTable } from '../../core/db/schema.ts';
import { formatInstant } from '../../core/time/index.ts';
import { type AttributeDef, serviceCodeOf } from '../cases/index.ts';
import type { RequestRow } from './open311.repository.ts';
import { georeportStatus, statusNotes, updateOf } from './status.ts';
import { fields, type XmlNode, xmlDocument } from './xml.ts';

// Field names and their order are GeoReport v2's (open311.org GeoReport v2); JSON follows the XML («Spark convention»).

export function presentService(c: Selectable<CategoryTable>, attributes: readonly AttributeDef[]) {
  return {
    service_code: serviceCodeOf(c),
    service_name: c.name,
    description: c.description,
    metadata: attributes.length > 0,
    type: 'realtime' as const,
    keywords: c.keywords,
    group: c.service_group,
  };
}

export function presentDefinition(c: Selectable<CategoryTable>, attributes: readonly AttributeDef[]) {
  return {
    service_code: serviceCodeOf(c),
    attributes: attributes.map((a) => ({
      variable: a.variable,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatypeDescription,
      order: a.order,
      description: a.description,
      values: a.values.map((v) => ({ key: v.key, name: v.name })),
    })),
  };
}

/** What the municipality promises: the deadline from our deadline engine and its legal source. */
export function serviceNotice(r: Pick<RequestRow, 'due_at' | 'due_source' | 'time_zone'>): string | null {
  if (!r.due_at) return null;
  return `Срок рассмотрения — до ${formatInstant(r.due_at, r.time_zone)}${r.due_source ? ` (${r.due_source})` : ''}`;
}

/** A request as the public sees it: no applicant, no contacts, no answer text. */
export function presentRequest(r: RequestRow) {
  const z = r.time_zone;
  return {
    service_request_id: r.number,
    status: georeportStatus(r.status),
    status_notes: statusNotes(r.status, r.merged_into),
    service_name: r.service_name,
    service_code: r.category_id === null ? null : serviceCodeOf({ id: r.category_id, service_code: r.service_code }),
    description: r.text,
    agency_responsible: r.agency,
    service_notice: serviceNotice(r),
    requested_datetime: formatInstant(r.received_at, z),
    updated_datetime: formatInstant(r.updated_at ?? r.received_at, z),
    expected_datetime: r.due_at ? formatInstant(r.due_at, z) : null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lon,
    media_url: r.media_url,
  };
}

export interface EventRow {
  id: number;
  type: string;
  at: Date;
  data: unknown;
  number: string;
  media_url: string | null;
}

export function presentUpdates(events: readonly EventRow[], zone: string) {
  const out = [];
  for (const e of events) {
    const u = updateOf(e.type, (e.data ?? {}) as Record<string, unknown>);
    if (!u) continue;
    out.push({
      update_id: String(e.id),
      service_request_id: e.number,
      status: u.status,
      updated_datetime: formatInstant(e.at, zone),
      description: u.description,
      media_url: e.media_url ?? '',
    });
  }
  return out;
}

// XML documents, root and item names as the spec's examples give them.
const list = (root: string, item: string, items: ReadonlyArray<Record<string, unknown>>, nested: Record<string, string> = {}) =>
  xmlDocument([root, items.map((x): XmlNode => [item, fields(x, nested)])]);

export const xml = {
  services: (items: ReadonlyArray<Record<string, unknown>>) => list('services', 'service', items),
  definition: (d: Record<string, unknown>) =>
    xmlDocument(['service_definition', fields(d, { attributes: 'attribute', values: 'value' })]),
  requests: (items: ReadonlyArray<Record<string, unknown>>) => list('service_requests', 'request', items),
  updates: (items: ReadonlyArray<Record<string, unknown>>) => list('service_request_updates', 'request_update', items),
  errors: (items: ReadonlyArray<{ code: number; description: string }>) => list('errors', 'error', items),
  discovery: (d: Record<string, unknown>) => xmlDocument(['discovery', fields(d, { endpoints: 'endpoint', formats: 'format' })]),
};
