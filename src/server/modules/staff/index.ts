export { type ProvisionUserInput, provisionUser } from './commands/provision-user.ts';
export { staffPermissions } from './staff.permissions.ts';
export { staffRoutes } from './staff.routes.ts';
