import { lazy, type ReactNode, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import { REGIONAL_ROLES, type Role } from '../../../shared/roles.ts';
import { RequireRole } from '../../app/guards.tsx';
import { Loading } from '../../app/ui.tsx';

// Issue 7: the analytics pages under /staff (children of the workspace). Each page, ECharts and Leaflet come only
// when a page is first opened, never with the residents' pages.

const AnalyticsDashboardPage = lazy(() => import('./dashboard-page.tsx').then((m) => ({ default: m.AnalyticsDashboardPage })));
const RegionPage = lazy(() => import('./region-page.tsx').then((m) => ({ default: m.RegionPage })));
const DepartmentAnalyticsPage = lazy(() => import('./department-page.tsx').then((m) => ({ default: m.DepartmentAnalyticsPage })));
const HeatPage = lazy(() => import('./heat-page.tsx').then((m) => ({ default: m.HeatPage })));
const DrillPage = lazy(() => import('./drill-page.tsx').then((m) => ({ default: m.DrillPage })));

/** The server's MUNICIPAL_ANALYTICS_ROLES: a municipality's figures, drill-down and heat map. */
export const ANALYTICS_ROLES: readonly Role[] = ['head', 'municipal_admin', ...REGIONAL_ROLES];
/** A department's executors: its head, the municipality's and the region's administrators. */
const DEPARTMENT_ROLES: readonly Role[] = ['head', 'municipal_admin', 'regional_admin'];

const page = (roles: readonly Role[], element: ReactNode) => (
  <RequireRole roles={roles}>
    <Suspense fallback={<Loading />}>{element}</Suspense>
  </RequireRole>
);

export const analyticsRoutes: RouteObject[] = [
  { path: 'analytics', element: page(ANALYTICS_ROLES, <AnalyticsDashboardPage />) },
  { path: 'analytics/region', element: page(REGIONAL_ROLES, <RegionPage />) },
  { path: 'analytics/department/:id', element: page(DEPARTMENT_ROLES, <DepartmentAnalyticsPage />) },
  { path: 'analytics/heat', element: page(ANALYTICS_ROLES, <HeatPage />) },
  { path: 'analytics/drill', element: page(ANALYTICS_ROLES, <DrillPage />) },
];
