export { createRegion } from './commands/create-region.ts';
export { assertTimeZone } from './commands/save-municipality.ts';
export { tenancyPermissions } from './permissions.ts';
export { findDepartment, findMunicipality, listMunicipalities } from './tenancy.repository.ts';
export { tenancyRoutes } from './tenancy.routes.ts';
