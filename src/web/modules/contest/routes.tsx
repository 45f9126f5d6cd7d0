import { lazy, type ReactNode, Suspense } from 'react';
import type { RouteObject } from 'react-router';
import type { Role } from '../../../shared/roles.ts';
import { RequireRole } from '../../app/guards.tsx';
import { Loading } from '../../app/ui.tsx';

// Issue 8, the contest «Лучшая муниципальная практика»: the staff pages under /staff (children of the workspace)
// and the published winners on the public site. Each page comes only when it is first opened.

const ContestsPage = lazy(() => import('./contests-page.tsx').then((m) => ({ default: m.ContestsPage })));
const ContestPage = lazy(() => import('./contest-page.tsx').then((m) => ({ default: m.ContestPage })));
const ApplicationPage = lazy(() => import('./application-page.tsx').then((m) => ({ default: m.ApplicationPage })));
const VotePage = lazy(() => import('./vote-page.tsx').then((m) => ({ default: m.VotePage })));
const PublicContestsPage = lazy(() => import('./public-page.tsx').then((m) => ({ default: m.PublicContestsPage })));

/** Who works with a contest: the region's administrators set it up, municipalities apply, the commission votes. */
export const CONTEST_ROLES: readonly Role[] = ['regional_admin', 'municipal_admin', 'commission_member'];
const VOTERS: readonly Role[] = ['commission_member', 'regional_admin'];

const page = (roles: readonly Role[], element: ReactNode) => (
  <RequireRole roles={roles}>
    <Suspense fallback={<Loading />}>{element}</Suspense>
  </RequireRole>
);

/** Below /staff. */
export const contestStaffRoutes: RouteObject[] = [
  { path: 'contest', element: page(CONTEST_ROLES, <ContestsPage />) },
  { path: 'contest/:id', element: page(CONTEST_ROLES, <ContestPage />) },
  { path: 'contest/:id/vote', element: page(VOTERS, <VotePage />) },
  { path: 'contest/applications/:id', element: page(CONTEST_ROLES, <ApplicationPage />) },
];

/** The public site: the published results (no sign-in). */
export const contestPublicRoutes: RouteObject[] = [
  {
    path: 'contests',
    element: (
      <Suspense fallback={<Loading />}>
        <PublicContestsPage />
      </Suspense>
    ),
  },
  {
    path: 'contests/:id',
    element: (
      <Suspense fallback={<Loading />}>
        <PublicContestsPage />
      </Suspense>
    ),
  },
];
