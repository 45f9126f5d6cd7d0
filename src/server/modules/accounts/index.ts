export { presentPrincipal } from './accounts.presenters.ts';
export { findUserByEmail } from './accounts.repository.ts';
export { accountsRoutes } from './accounts.routes.ts';
export { Email, Password, PersonName, RoleName, User } from './accounts.schemas.ts';
export { assertPasswordAcceptable } from './password-policy.ts';
