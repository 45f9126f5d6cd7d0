import { MUNICIPALITY_TYPE_NAMES_RU } from '../../../shared/roles.ts';
import type { DepartmentRow, MunicipalityRow } from './tenancy.repository.ts';

export function presentMunicipality(m: MunicipalityRow) {
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
    hasBoundary: Boolean(m.has_boundary),
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
