import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Link } from 'react-router';
import type { Role } from '../../shared/roles.ts';
import { ConfirmEmailPage } from '../modules/accounts/confirm-email-page.tsx';
import { LoginPage } from '../modules/accounts/login-page.tsx';
import { RegisterPage } from '../modules/accounts/register-page.tsx';
import { ResetPasswordPage } from '../modules/accounts/reset-password-page.tsx';
import { analyticsRoutes } from '../modules/analytics/routes.tsx';
import { AuditPage } from '../modules/audit/audit-page.tsx';
import { CabinetPage } from '../modules/cabinet/cabinet-page.tsx';
import { CasePage } from '../modules/cases-resident/case-page.tsx';
import { MyCasesPage } from '../modules/cases-resident/my-cases-page.tsx';
import { SubmitCasePage } from '../modules/cases-resident/submit-case-page.tsx';
import { contestPublicRoutes, contestStaffRoutes } from '../modules/contest/routes.tsx';
import { JobsPage } from '../modules/jobs/jobs-page.tsx';
import { StaffUsersPage } from '../modules/staff/staff-users-page.tsx';
import { DepartmentsPage } from '../modules/tenancy/departments-page.tsx';
import { HomePage } from '../modules/tenancy/home-page.tsx';
import { MunicipalitiesPage } from '../modules/tenancy/municipalities-page.tsx';
import { SECTIONS } from '../modules/workspace/sections.ts';
import { UnderConstruction } from '../modules/workspace/under-construction.tsx';
import { WorkspaceHome } from '../modules/workspace/workspace-home.tsx';
import { WorkspaceLayout } from '../modules/workspace/workspace-layout.tsx';
import { RequireRole, RequireStaff, RequireUser } from './guards.tsx';
import { Layout } from './layout.tsx';
import { Loading, usePageTitle } from './ui.tsx';

// The calendar pages are staff-only and sizeable: loaded when first opened, not with the residents' pages.
const CalendarPage = lazy(() => import('../modules/calendar/calendar-page.tsx').then((m) => ({ default: m.CalendarPage })));
const DeadlinePreviewPage = lazy(() =>
  import('../modules/calendar/deadline-preview-page.tsx').then((m) => ({ default: m.DeadlinePreviewPage })),
);
const CalendarAdminPage = lazy(() =>
  import('../modules/calendar/calendar-admin-page.tsx').then((m) => ({ default: m.CalendarAdminPage })),
);
const DeadlineSettingsPage = lazy(() =>
  import('../modules/calendar/deadline-settings-page.tsx').then((m) => ({ default: m.DeadlineSettingsPage })),
);

// The staff's case pages (queue, card, operator's registration): loaded when first opened.
const CaseQueuePage = lazy(() => import('../modules/cases-staff/queue-page.tsx').then((m) => ({ default: m.CaseQueuePage })));
const StaffCasePage = lazy(() => import('../modules/cases-staff/case-page.tsx').then((m) => ({ default: m.CasePage })));
const RegisterCasePage = lazy(() =>
  import('../modules/cases-staff/register-page.tsx').then((m) => ({ default: m.RegisterCasePage })),
);

// The map (issue 5): Leaflet and the clustering come with these pages only.
const MapPage = lazy(() => import('../modules/map/map-page.tsx').then((m) => ({ default: m.MapPage })));
const ReportPage = lazy(() => import('../modules/map/report-page.tsx').then((m) => ({ default: m.ReportPage })));
const ReportFormPage = lazy(() => import('../modules/map/report-form-page.tsx').then((m) => ({ default: m.ReportFormPage })));

// Social-media monitoring (issue 6): the moderation stream, the queries, the sources.
const ModerationPage = lazy(() => import('../modules/monitoring/stream-page.tsx').then((m) => ({ default: m.ModerationPage })));
const QueriesPage = lazy(() => import('../modules/monitoring/queries-page.tsx').then((m) => ({ default: m.QueriesPage })));
const SourcesPage = lazy(() => import('../modules/monitoring/sources-page.tsx').then((m) => ({ default: m.SourcesPage })));

const later = (page: ReactNode) => <Suspense fallback={<Loading />}>{page}</Suspense>;

const ADMINS: readonly Role[] = ['municipal_admin', 'regional_admin'];
const REGIONAL_ADMIN: readonly Role[] = ['regional_admin'];
/** Who works with cases (the server's CASE_READER_ROLES) and who registers them (CASE_REGISTRAR_ROLES). */
const CASE_STAFF: readonly Role[] = ['operator', 'executor', 'head', 'moderator', 'municipal_admin', 'regional_admin'];
const CASE_REGISTRARS: readonly Role[] = ['operator', 'municipal_admin', 'regional_admin'];
/** Who works with monitoring queries and the stream (the server's MONITORING_STAFF_ROLES). */
const MONITORING_STAFF: readonly Role[] = ['moderator', 'head', 'municipal_admin', 'regional_admin'];

function NotFoundPage() {
  usePageTitle('Страница не найдена');
  return (
    <div className="container page page--narrow">
      <div className="card card--center">
        <h1>Страница не найдена</h1>
        <p className="lead">Возможно, ссылка устарела или в адресе опечатка.</p>
        <div className="actions actions--center">
          <Link to="/" className="button">
            На главную
          </Link>
        </div>
      </div>
    </div>
  );
}

const stubs = SECTIONS.filter((s) => !s.built).map((s) => ({
  path: s.path,
  element: (
    <RequireRole roles={s.roles}>
      <UnderConstruction section={s} />
    </RequireRole>
  ),
}));

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'register', element: <RegisterPage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'confirm-email', element: <ConfirmEmailPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      {
        path: 'cabinet',
        element: (
          <RequireUser>
            <CabinetPage />
          </RequireUser>
        ),
      },
      // The resident's cases (issue 4): submit, the list, one case.
      {
        path: 'cabinet/cases',
        element: (
          <RequireUser>
            <MyCasesPage />
          </RequireUser>
        ),
      },
      {
        path: 'cabinet/cases/new',
        element: (
          <RequireUser>
            <SubmitCasePage />
          </RequireUser>
        ),
      },
      {
        path: 'cabinet/cases/:id',
        element: (
          <RequireUser>
            <CasePage />
          </RequireUser>
        ),
      },
      // The public map of reports and reporting on the map (issue 5).
      { path: 'map', element: later(<MapPage />) },
      { path: 'map/reports/:id', element: later(<ReportPage />) },
      // The contest's published winners (issue 8).
      ...contestPublicRoutes,
      {
        path: 'cabinet/report',
        element: <RequireUser>{later(<ReportFormPage />)}</RequireUser>,
      },
      {
        path: 'staff',
        element: (
          <RequireUser>
            <RequireStaff>
              <WorkspaceLayout />
            </RequireStaff>
          </RequireUser>
        ),
        children: [
          { index: true, element: <WorkspaceHome /> },
          ...stubs,
          ...analyticsRoutes,
          ...contestStaffRoutes,
          { path: 'cases', element: <RequireRole roles={CASE_STAFF}>{later(<CaseQueuePage />)}</RequireRole> },
          { path: 'cases/new', element: <RequireRole roles={CASE_REGISTRARS}>{later(<RegisterCasePage />)}</RequireRole> },
          { path: 'cases/:id', element: <RequireRole roles={CASE_STAFF}>{later(<StaffCasePage />)}</RequireRole> },
          { path: 'monitoring', element: <RequireRole roles={MONITORING_STAFF}>{later(<ModerationPage />)}</RequireRole> },
          { path: 'monitoring/queries', element: <RequireRole roles={MONITORING_STAFF}>{later(<QueriesPage />)}</RequireRole> },
          { path: 'monitoring/sources', element: <RequireRole roles={ADMINS}>{later(<SourcesPage />)}</RequireRole> },
          { path: 'calendar', element: later(<CalendarPage />) },
          { path: 'deadlines', element: later(<DeadlinePreviewPage />) },
          {
            path: 'admin/calendar',
            element: <RequireRole roles={REGIONAL_ADMIN}>{later(<CalendarAdminPage />)}</RequireRole>,
          },
          {
            path: 'admin/deadline-settings',
            element: <RequireRole roles={ADMINS}>{later(<DeadlineSettingsPage />)}</RequireRole>,
          },
          {
            path: 'admin/municipalities',
            element: (
              <RequireRole roles={ADMINS}>
                <MunicipalitiesPage />
              </RequireRole>
            ),
          },
          {
            path: 'admin/departments',
            element: (
              <RequireRole roles={ADMINS}>
                <DepartmentsPage />
              </RequireRole>
            ),
          },
          {
            path: 'admin/users',
            element: (
              <RequireRole roles={ADMINS}>
                <StaffUsersPage />
              </RequireRole>
            ),
          },
          {
            path: 'admin/audit',
            element: (
              <RequireRole roles={ADMINS}>
                <AuditPage />
              </RequireRole>
            ),
          },
          {
            path: 'admin/jobs',
            element: (
              <RequireRole roles={REGIONAL_ADMIN}>
                <JobsPage />
              </RequireRole>
            ),
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
