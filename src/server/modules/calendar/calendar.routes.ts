import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireRole, requireStaff } from '../../core/auth/auth-plugin.ts';
import { hasRoleIn } from '../../core/auth/principal.ts';
import { contextOf } from '../../core/context.ts';
import { forbidden, notFound } from '../../core/http/errors.ts';
import { DateTime, ErrorResponse, StringEnum } from '../../core/http/schemas.ts';
import {
  CalendarRangeError,
  computeDeadlines,
  DAY_EXTRAORDINARY_OFF,
  DAY_HOLIDAY,
  DAY_SHORTENED,
  DAY_TRANSFERRED_OFF,
  DAY_WORKING,
  DAY_WORKING_WEEKEND,
  dayFromCivil,
  formatIsoDate,
  type ProductionCalendar,
} from '../../core/time/index.ts';
import { findMunicipalityForDeadlines, listPublications } from './calendar.repository.ts';
import type { CalendarService } from './calendar-service.ts';
import { publishCalendarYear } from './commands/publish-calendar-year.ts';
import { readSettings, saveDeadlineSettings } from './commands/save-deadline-settings.ts';

const DAY_KINDS = ['workday', 'weekend', 'holiday', 'transfer', 'nonworking', 'working_weekend', 'shortened'] as const;
type DayKind = (typeof DAY_KINDS)[number];

/** One word for what a day is; the precedence makes a holiday a holiday even when it is also a weekend. */
function dayKind(flags: number): DayKind {
  if (!(flags & DAY_WORKING)) {
    if (flags & DAY_HOLIDAY) return 'holiday';
    if (flags & DAY_EXTRAORDINARY_OFF) return 'nonworking';
    if (flags & DAY_TRANSFERRED_OFF) return 'transfer';
    return 'weekend';
  }
  if (flags & DAY_WORKING_WEEKEND) return 'working_weekend';
  if (flags & DAY_SHORTENED) return 'shortened';
  return 'workday';
}

function yearDays(calendar: ProductionCalendar, year: number) {
  if (!calendar.years().includes(year)) {
    throw new CalendarRangeError(year, calendar.firstYear, calendar.lastYear);
  }
  const first = dayFromCivil(year, 1, 1);
  const last = dayFromCivil(year, 12, 31);
  const days = [];
  for (let d = first; d <= last; d++) {
    const info = calendar.dayInfo(d);
    days.push({
      date: formatIsoDate(d),
      working: info.working,
      hours: info.hours,
      kind: dayKind(calendar.flags[calendar.index(d)] ?? 0),
      note: info.reasons.length ? info.reasons.join('; ') : null,
    });
  }
  return days;
}

const Source = Type.Object({
  title: Type.String(),
  url: Type.Optional(Type.String()),
  verified: Type.Boolean(),
  note: Type.Optional(Type.String()),
});
const Totals = Type.Object({ workingDays: Type.Integer(), workingHours: Type.Number() });
const Regime = StringEnum(['appeal', 'message', 'incident'] as const);
const SettingsSchema = Type.Object(
  {
    policy: Type.Optional(StringEnum(['previous_working_day', 'next_working_day', 'none'] as const)),
    counting: Type.Optional(StringEnum(['from_next_day', 'from_start_day'] as const)),
    defaultPeriod: Type.Optional(Type.Integer()),
    categoryPeriods: Type.Optional(Type.Record(Type.String({ maxLength: 50 }), Type.Integer())),
    incidentClock: Type.Optional(StringEnum(['clock', 'working'] as const)),
    internalControl: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Integer())),
  },
  { additionalProperties: false },
);
const MunicipalSettings = Type.Object(
  { appeal: Type.Optional(SettingsSchema), message: Type.Optional(SettingsSchema), incident: Type.Optional(SettingsSchema) },
  { additionalProperties: false },
);
const MunicipalityQuery = Type.Integer({ minimum: 1, description: 'municipality id' });

export const calendarRoutes =
  (calendars: CalendarService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['calendar'];

    const municipalityOr404 = async (id: number) => {
      const m = await findMunicipalityForDeadlines(app.db, id);
      if (!m) throw notFound('Municipality');
      return m;
    };

    app.get(
      '/calendar/:year',
      {
        schema: {
          tags,
          summary: 'Every day of a year on the production calendar of a municipality (its region’s holidays included)',
          params: Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2200 }) }),
          querystring: Type.Object({ municipality: Type.Optional(MunicipalityQuery) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              year: Type.Integer(),
              provisional: Type.Boolean(),
              municipality: Type.Union([Type.Integer(), Type.Null()]),
              timeZone: Type.Union([Type.String(), Type.Null()]),
              region: Type.Union([Type.String(), Type.Null()]),
              sources: Type.Array(Source),
              totals: Totals,
              days: Type.Array(
                Type.Object({
                  date: Type.String(),
                  working: Type.Boolean(),
                  hours: Type.Integer(),
                  kind: StringEnum(DAY_KINDS),
                  note: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
            400: ErrorResponse,
            404: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request) => {
        const m = request.query.municipality ? await municipalityOr404(request.query.municipality) : undefined;
        const calendar = await calendars.calendarFor(m?.iso_code);
        const days = yearDays(calendar, request.params.year);
        const info = calendar.yearInfo(request.params.year);
        return {
          year: request.params.year,
          provisional: info.provisional,
          municipality: m?.id ?? null,
          timeZone: m?.time_zone ?? null,
          region: info.region ?? null,
          sources: info.sources,
          totals: info.actual,
          days,
        };
      },
    );

    const DeadlineOut = Type.Object({
      kind: Type.String(),
      dueAt: Type.String({ description: 'the end of the last allowed day, with the municipality’s UTC offset' }),
      dueDate: Type.String(),
      legalDueAt: Type.String(),
      internal: Type.Boolean(),
      amount: Type.Integer(),
      legalAmount: Type.Integer(),
      unit: Type.String(),
      from: Type.String(),
      rule: Type.String(),
      source: Type.String(),
      verified: Type.Boolean(),
      provisional: Type.Boolean(),
    });

    app.get(
      '/deadlines/preview',
      {
        schema: {
          tags,
          summary: 'Every deadline of a regime for something received at `at`, with the rule and legal source of each',
          querystring: Type.Object(
            {
              municipality: MunicipalityQuery,
              regime: Regime,
              at: DateTime,
              registeredAt: Type.Optional(DateTime),
              category: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'category code' })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              municipality: Type.Integer(),
              timeZone: Type.String(),
              regime: Type.String(),
              at: Type.String(),
              deadlines: Type.Array(DeadlineOut),
            }),
            400: ErrorResponse,
            404: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const m = await municipalityOr404(q.municipality);
        const calendar = await calendars.calendarFor(m.iso_code);
        const deadlines = computeDeadlines({
          regime: q.regime,
          start: new Date(q.at),
          ...(q.registeredAt && { registeredAt: new Date(q.registeredAt) }),
          zone: m.time_zone,
          calendar,
          ...(q.category && { category: q.category }),
          settings: readSettings(m.deadline_settings)[q.regime] ?? {},
        });
        return {
          municipality: m.id,
          timeZone: m.time_zone,
          regime: q.regime,
          at: new Date(q.at).toISOString(),
          deadlines: deadlines.map((d) => ({
            kind: d.kind,
            dueAt: d.dueAtText,
            dueDate: d.dueDate,
            legalDueAt: d.legalDueAtText,
            internal: d.internal,
            amount: d.amount,
            legalAmount: d.legalAmount,
            unit: d.unit,
            from: d.from,
            rule: d.rule,
            source: d.source,
            verified: d.verified,
            provisional: d.provisional,
          })),
        };
      },
    );

    app.get(
      '/municipalities/:id/deadline-settings',
      {
        schema: {
          tags,
          summary: 'The municipality’s last-day policy, stricter internal control periods and per-category periods',
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          response: { 200: MunicipalSettings, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
        },
      },
      async (request) => {
        requireStaff(request);
        const m = await municipalityOr404(request.params.id);
        if (!hasRoleIn(request.principal, ['municipal_admin', 'regional_admin', 'head'], m.id)) {
          throw forbidden('These settings belong to another municipality');
        }
        return readSettings(m.deadline_settings) as never;
      },
    );

    app.put(
      '/municipalities/:id/deadline-settings',
      {
        schema: {
          tags,
          summary: 'Replace the deadline settings; a period looser than the law is refused with the field named',
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          body: MunicipalSettings,
          response: { 200: MunicipalSettings, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
        },
      },
      async (request) => {
        requireStaff(request);
        return (await saveDeadlineSettings(app.db, contextOf(request), request.params.id, request.body as never)) as never;
      },
    );

    app.get(
      '/admin/calendar',
      {
        schema: {
          tags,
          summary: 'The calendar years in force, where each comes from, and the publications history',
          response: {
            200: Type.Object({
              years: Type.Array(
                Type.Object({
                  year: Type.Integer(),
                  region: Type.Union([Type.String(), Type.Null()]),
                  provisional: Type.Boolean(),
                  origin: StringEnum(['shipped', 'published'] as const),
                  publishedAt: Type.Union([DateTime, Type.Null()]),
                  publishedBy: Type.Union([Type.String(), Type.Null()]),
                  totals: Totals,
                }),
              ),
              publications: Type.Array(
                Type.Object({
                  id: Type.Integer(),
                  year: Type.Integer(),
                  region: Type.Union([Type.String(), Type.Null()]),
                  note: Type.String(),
                  publishedAt: DateTime,
                  publishedBy: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
            401: ErrorResponse,
            403: ErrorResponse,
          },
        },
      },
      async (request) => {
        requireRole(request, ['regional_admin']);
        const federal = await calendars.calendarFor(null);
        const origins = await calendars.origins();
        const years = [];
        for (const o of origins) {
          const calendar = o.region ? await calendars.calendarFor(o.region) : federal;
          const info = calendar.yearInfo(o.year);
          years.push({
            year: o.year,
            region: o.region,
            provisional: info.provisional,
            origin: o.publishedAt ? ('published' as const) : ('shipped' as const),
            publishedAt: o.publishedAt?.toISOString() ?? null,
            publishedBy: o.publishedBy,
            totals: info.actual,
          });
        }
        const publications = (await listPublications(app.db)).map((p) => ({
          id: p.id,
          year: p.year,
          region: p.region_code,
          note: p.note,
          publishedAt: p.published_at.toISOString(),
          publishedBy: p.published_by_name,
        }));
        return { years, publications };
      },
    );

    app.get(
      '/admin/calendar/years/:year',
      {
        schema: {
          tags,
          summary: 'The document of a year in force (the base for a correction)',
          params: Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2200 }) }),
          querystring: Type.Object(
            { region: Type.Optional(Type.String({ pattern: '^RU-[A-Z]{2,3}$' })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Unknown(), 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
        },
      },
      async (request) => {
        requireRole(request, ['regional_admin']);
        const year = await calendars.effectiveYear(request.params.year, request.query.region ?? null);
        if (!year) throw notFound(`Calendar year ${request.params.year}`);
        return year;
      },
    );

    app.post(
      '/admin/calendar/years',
      {
        schema: {
          tags,
          summary: 'Publish a correction or a new year over the shipped calendar (audited; open deadlines recomputed)',
          body: Type.Object(
            {
              data: Type.Object({}, { additionalProperties: true, description: 'a year in the shipped JSON shape' }),
              note: Type.String({ minLength: 5, maxLength: 500 }),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              year: Type.Integer(),
              region: Type.Union([Type.String(), Type.Null()]),
              changedYears: Type.Array(Type.Integer()),
              publicationId: Type.Integer(),
              recomputeJobId: Type.Union([Type.Integer(), Type.Null()]),
            }),
            400: ErrorResponse,
            401: ErrorResponse,
            403: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        requireStaff(request);
        const result = await publishCalendarYear(app.db, contextOf(request), calendars, request.body);
        return reply.status(201).send(result);
      },
    );
  };
