import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { BODY_LIMIT_BYTES } from '../shared/limits.ts';
import { authPlugin } from './core/auth/auth-plugin.ts';
import { type Clock, systemClock } from './core/clock.ts';
import type { Config } from './core/config.ts';
import type { DatabaseHandle, Db, DbKind } from './core/db/index.ts';
import { httpPlugin } from './core/http/http-plugin.ts';
import { validatorCompiler } from './core/http/validation.ts';
import { JobRunner } from './core/jobs/index.ts';
import { registerMailJob } from './core/mail/mail-job.ts';
import { createMailer, type Mailer } from './core/mail/mailer.ts';
import { accountsRoutes } from './modules/accounts/index.ts';
import { analyticsRoutes } from './modules/analytics/index.ts';
import { attachmentsRoutes } from './modules/attachments/index.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { CalendarService, calendarRoutes, DeadlineRecomputers, registerRecomputeJob } from './modules/calendar/index.ts';
import { caseDeadlineRecomputer, casesRoutes, clustersRoutes, OPEN_STATUSES, templatesRoutes } from './modules/cases/index.ts';
import { contestRoutes } from './modules/contest/index.ts';
import { exportsRoutes } from './modules/exports/index.ts';
import { healthRoutes } from './modules/health/index.ts';
import { jobsRoutes } from './modules/jobs/index.ts';
import { mapRoutes } from './modules/map/index.ts';
import { monitoringRoutes, registerMonitoring } from './modules/monitoring/index.ts';
import { noticesRoutes, registerReminderJob, scheduleReminderJob } from './modules/notices/index.ts';
import { open311Routes } from './modules/open311/index.ts';
import { type PlacesService, placesFor, placesRoutes } from './modules/places/index.ts';
import { staffRoutes } from './modules/staff/index.ts';
import { tenancyRoutes } from './modules/tenancy/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    dbKind: DbKind;
    clock: Clock;
    mailer: Mailer;
    jobs: JobRunner;
    /** The production calendar in force (shipped data + published corrections). */
    calendars: CalendarService;
    /** Modules whose open items carry deadlines register here, to be recomputed when a calendar year changes. */
    deadlineRecomputers: DeadlineRecomputers;
    /** Boundaries in an in-process area index: which municipality and district a point lies in. */
    places: PlacesService;
  }
}

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  mailer?: Mailer;
  /** Close the database when the app closes (the server does; tests that share one database do not). */
  ownsDatabase?: boolean;
  /** Where the built web app is; defaults to dist/web beside the sources. Absent → API only. */
  webRoot?: string;
}

export const VERSION = '0.1.0';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_ROOT = path.resolve(here, '../../dist/web');

/** Builds the Fastify app without listening: tests use app.inject(), main.ts listens. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      // Accept a caller's request id only when it looks like one; never let a header inject log content.
      return typeof incoming === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    },
    trustProxy: process.env.TRUST_PROXY === '1',
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.decorate('config', config);
  app.decorate('db', database.db);
  app.decorate('dbKind', database.kind);
  app.decorate('clock', options.clock ?? systemClock);
  app.decorate('mailer', options.mailer ?? createMailer(config.smtpUrl, config.publicUrl, app.log));
  // Background jobs run in every app node that listens (they share the work through the job table). Tests that
  // use app.inject() never listen, so they drive the runner by hand with app.jobs.drain().
  const jobs = new JobRunner(database.db, { clock: app.clock, logger: app.log });
  app.decorate('jobs', jobs);
  registerMailJob(jobs, app.mailer);
  const calendars = new CalendarService(database.db, app.clock);
  const deadlineRecomputers = new DeadlineRecomputers();
  app.decorate('calendars', calendars);
  app.decorate('deadlineRecomputers', deadlineRecomputers);
  app.decorate('places', placesFor(database.db));
  registerRecomputeJob(jobs, deadlineRecomputers, calendars);
  deadlineRecomputers.register(caseDeadlineRecomputer);
  registerReminderJob(jobs, { openStatuses: OPEN_STATUSES, publicUrl: config.publicUrl });
  registerMonitoring(app); // app.monitoring (the pipeline's onPostsStored hooks), the monitoring.poll job and its tick
  // Recurring schedules are defined when the app listens: app.inject() tests drain only the jobs they cause.
  app.addHook('onListen', async () => {
    scheduleReminderJob(jobs);
    jobs.start();
  });
  // preClose runs before onClose closes the database: the runner stops claiming and lets jobs in flight finish
  // (up to 8 s, inside main.ts's 10 s shutdown limit).
  app.addHook('preClose', async () => {
    if (jobs.isRunning) await jobs.stop({ timeoutMs: 8_000 });
  });
  if (options.ownsDatabase) app.addHook('onClose', async () => database.close());
  app.addHook('onClose', async () => app.mailer.close());

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Otklik API',
        version: VERSION,
        description:
          'Otklik («Отклик»): appeals, messages, incidents and participation for a municipality. ' +
          'Cookie-authenticated writes carry the X-CSRF-Token header returned by POST /api/v1/auth/login.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'otklik_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false });

  await app.register(httpPlugin);
  await app.register(authPlugin);

  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(accountsRoutes, { prefix: '/api/v1' });
  await app.register(tenancyRoutes, { prefix: '/api/v1' });
  await app.register(staffRoutes, { prefix: '/api/v1' });
  await app.register(auditRoutes, { prefix: '/api/v1' });
  await app.register(jobsRoutes, { prefix: '/api/v1' });
  await app.register(calendarRoutes(calendars), { prefix: '/api/v1' });
  await app.register(casesRoutes(calendars), { prefix: '/api/v1' });
  await app.register(clustersRoutes, { prefix: '/api/v1' });
  await app.register(templatesRoutes, { prefix: '/api/v1' });
  await app.register(attachmentsRoutes, { prefix: '/api/v1' });
  await app.register(noticesRoutes, { prefix: '/api/v1' });
  await app.register(placesRoutes, { prefix: '/api/v1' });
  await app.register(mapRoutes, { prefix: '/api/v1' });
  await app.register(open311Routes);
  await app.register(monitoringRoutes, { prefix: '/api/v1' });
  await app.register(analyticsRoutes, { prefix: '/api/v1' });
  await app.register(contestRoutes, { prefix: '/api/v1' });
  await app.register(exportsRoutes, { prefix: '/api/v1' });

  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  if (existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: 'index.html' });
    // The SPA's own routes (/login, /cabinet, /staff/...) all get index.html; unknown API paths stay 404 JSON.
    app.get('/*', { schema: { hide: true } }, (request, reply) => {
      if (request.url.startsWith('/api/')) {
        return reply.callNotFound();
      }
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    });
  }
  return app;
}
