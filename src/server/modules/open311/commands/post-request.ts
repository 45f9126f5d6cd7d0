import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid } from '../../../core/http/errors.ts';
import { type Calendars, findCategoryByServiceCode, submitCase } from '../../cases/index.ts';
import { findApiKeyByHash, findJurisdiction, PUBLIC_REGIMES, touchApiKey } from '../open311.repository.ts';
import { hashKey } from './manage-api-keys.ts';

/** The form fields of GeoReport v2 «POST Service Request» (open311.org GeoReport v2), as the client sent them. */
export interface Open311Form {
  api_key?: string;
  jurisdiction_id?: string;
  service_code?: string;
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
  email?: string;
  device_id?: string;
  account_id?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  description?: string;
  media_url?: string;
  attribute?: Record<string, string | string[]>;
}

const given = (s: string | undefined) => (s !== undefined && s.trim() !== '' ? s.trim() : undefined);
const COORD = /^-?\d{1,3}(\.\d+)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function coordinate(name: 'lat' | 'long', raw: string, limit: number): number {
  const n = Number(raw);
  if (!COORD.test(raw) || Math.abs(n) > limit)
    throw invalid(name, `"${raw}" is not a WGS84 ${name === 'lat' ? 'latitude' : 'longitude'}`);
  return n;
}

/**
 * An integration reports a problem: the API key (403 when missing, unknown or revoked — GeoReport v2 «Errors»)
 * selects the municipality; `service_code` a public category of it (404 when there is none); a location is required
 * (`lat` & `long`, `address_string` or `address_id`). The case goes through the one intake (`submitCase`, channel
 * open311), which checks the attributes, computes the deadlines and writes the audit row; then the key is marked used.
 */
export async function postRequest(db: Db, ctx: CommandContext, calendars: Calendars, form: Open311Form) {
  const rawKey = given(form.api_key);
  if (!rawKey) throw new AppError('FORBIDDEN', 'api_key was not provided -- can’t proceed with create_request');
  const key = await findApiKeyByHash(db, hashKey(rawKey));
  if (!key || key.revoked_at) throw new AppError('FORBIDDEN', 'Invalid api_key received -- can’t proceed with create_request');
  const jurisdiction = given(form.jurisdiction_id);
  if (jurisdiction) {
    const m = await findJurisdiction(db, jurisdiction);
    if (!m) throw new AppError('NOT_FOUND', `jurisdiction_id "${jurisdiction}" not found`);
    if (m.id !== key.municipality_id)
      throw new AppError('FORBIDDEN', `this api_key is not valid for jurisdiction_id "${jurisdiction}"`);
  }
  const code = given(form.service_code);
  if (!code) throw invalid('service_code', 'service_code was not provided');
  const category = await findCategoryByServiceCode(db, key.municipality_id, code);
  if (!category?.is_active || !(PUBLIC_REGIMES as readonly string[]).includes(category.regime))
    throw new AppError('NOT_FOUND', `service_code "${code}" not found`);

  const lat = given(form.lat);
  const lon = given(form.long);
  const address = given(form.address_string) ?? (given(form.address_id) && `address_id ${given(form.address_id)}`);
  if ((lat === undefined) !== (lon === undefined)) throw invalid(lat ? 'long' : 'lat', 'lat and long are sent together');
  if (lat === undefined && !address)
    throw invalid('lat', 'a location is required: lat and long, or address_string, or address_id');
  const description = given(form.description);
  if (description && description.length > 4000) throw invalid('description', 'at most 4,000 characters');
  const email = given(form.email);
  if (email && (!EMAIL.test(email) || email.length > 254)) throw invalid('email', `"${email}" is not an e-mail address`);
  const mediaUrl = given(form.media_url);
  if (mediaUrl && (!/^https?:\/\/\S+$/.test(mediaUrl) || mediaUrl.length > 2000))
    throw invalid('media_url', 'an http or https URL without spaces, at most 2,000 characters');
  const text = (name: string | undefined, max: number, field: string) => {
    if (name && name.length > max) throw invalid(field, `at most ${max} characters`);
    return name;
  };

  const { id } = await submitCase(db, ctx, calendars, {
    municipalityId: key.municipality_id,
    channel: 'open311',
    categoryId: category.id,
    text: description ?? category.name,
    ...(address && { address: text(address, 500, 'address_string') }),
    ...(lat !== undefined && lon !== undefined && { lat: coordinate('lat', lat, 90), lon: coordinate('long', lon, 180) }),
    ...(given(form.first_name) && { firstName: text(given(form.first_name), 100, 'first_name') }),
    ...(given(form.last_name) && { lastName: text(given(form.last_name), 100, 'last_name') }),
    ...(email && { email }),
    ...(given(form.phone) && { phone: text(given(form.phone), 40, 'phone') }),
    ...(mediaUrl && { mediaUrl }),
    ...(form.attribute && { attributes: form.attribute }),
    apiKey: { id: key.id, municipalityId: key.municipality_id },
  });
  await touchApiKey(db, key.id, ctx.now);
  return id;
}
