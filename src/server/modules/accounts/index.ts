export { presentPrincipal } from './accounts.presenters.ts';
export { findUserByEmail } from './accounts.repository.ts';
export { accountsRoutes } from './accounts.routes.ts';
export { Email, Password, PersonName, RoleName, User } from './accounts.schemas.ts';
export { emailTaken, insertAccount, isUniqueViolation, type NewAccount, prepareAccount } from './new-account.ts';
export { assertPasswordAcceptable } from './password-policy.ts';
