/** The public map of reports (issue 5): bbox markers, report pages with before/after photos, nearby, join. */
export { mapRoutes } from './map.routes.ts';
