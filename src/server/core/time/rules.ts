/**
 * The statutory deadline rules as data, each with its legal source, and `computeDeadlines`, which returns every
 * deadline of a regime for one case. A municipality may set a stricter internal control period, never a looser
 * one: a looser setting is REJECTED with `DeadlineSettingError` (not clamped), so a misconfiguration is seen when it
 * is saved (`validateDeadlineSettings`) instead of silently producing a date other than the one configured.
 */
import type { DayCounting, LastDayPolicy, ProductionCalendar } from './calendar.ts';
import { type DayNumber, formatIsoDate, type IsoDate } from './days.ts';
import { DeadlineSettingError } from './errors.ts';
import { DEFAULT_OFFICE_HOURS, type OfficeHours, workSchedule } from './office-hours.ts';
import { formatInstant, toZone, type ZoneInput } from './zone.ts';

/** The three case regimes (see ARCHITECTURE glossary). */
export type Regime = 'appeal' | 'message' | 'incident';

export type DeadlineKind =
  | 'register'
  | 'redirect'
  | 'answer'
  | 'extended_answer'
  | 'court_return'
  | 'notice_unreadable'
  | 'notice_unclear'
  | 'first_reaction';

/** The unit of a period. Calendar days are moved by the last-day policy; working days never need moving. */
export type PeriodUnit = 'calendar_days' | 'working_days' | 'hours';

/** What a period counts from: the moment the case arrived, or its registration (appeals). */
export type StartPoint = 'receipt' | 'registration';

export interface StatutoryRule {
  regime: Regime;
  kind: DeadlineKind;
  /** The legal (or, for messages and incidents, default baseline) period. */
  amount: number;
  unit: PeriodUnit;
  from: StartPoint;
  /** `extended_answer`: the period is added on top of this kind's period (30 + up to 30 days). */
  extends?: DeadlineKind;
  /** The rule in Russian, as shown to staff. */
  rule: string;
  /** The legal source, e.g. `59-ФЗ ст. 12 ч. 1`. */
  source: string;
  /** False when the rule is [P]/[U] in domain-ru (secondary sources or general knowledge). */
  verified: boolean;
  note?: string;
  /** Messages and incidents: the baseline can be set per category (`settings.categoryPeriods`). */
  perCategory: boolean;
}

/** 59-ФЗ, ПОС messages and incidents (domain-ru §1.1, §2.2, §2.3). */
export const STATUTORY_RULES: readonly StatutoryRule[] = Object.freeze([
  {
    regime: 'appeal',
    kind: 'register',
    amount: 3,
    unit: 'calendar_days',
    from: 'receipt',
    rule: 'Зарегистрировать письменное обращение в течение трёх дней с момента поступления',
    source: '59-ФЗ ст. 8 ч. 2',
    verified: true,
    perCategory: false,
  },
  {
    regime: 'appeal',
    kind: 'redirect',
    amount: 7,
    unit: 'calendar_days',
    from: 'registration',
    rule: 'Направить обращение по компетенции в течение семи дней со дня регистрации и уведомить гражданина о переадресации',
    source: '59-ФЗ ст. 8 ч. 3',
    verified: false,
    note: 'domain-ru §1.1 [P]: secondary sources (zabgosexpertiza.ru, prosecutors’ page).',
    perCategory: false,
  },
  {
    regime: 'appeal',
    kind: 'answer',
    amount: 30,
    unit: 'calendar_days',
    from: 'registration',
    rule: 'Рассмотреть обращение и дать письменный ответ в течение 30 дней со дня регистрации',
    source: '59-ФЗ ст. 12 ч. 1',
    verified: true,
    perCategory: false,
  },
  {
    regime: 'appeal',
    kind: 'extended_answer',
    amount: 30,
    unit: 'calendar_days',
    from: 'registration',
    extends: 'answer',
    rule: 'Срок рассмотрения может быть продлён один раз не более чем на 30 дней (в исключительных случаях или при запросе документов по ст. 10 ч. 2) с уведомлением гражданина о продлении',
    source: '59-ФЗ ст. 12 ч. 2',
    verified: true,
    note: 'The extension is counted from the registration: 30 + 30 days, then the last-day policy.',
    perCategory: false,
  },
  {
    regime: 'appeal',
    kind: 'court_return',
    amount: 7,
    unit: 'calendar_days',
    from: 'registration',
    rule: 'Вернуть обращение, в котором обжалуется судебное решение, с разъяснением порядка обжалования в течение семи дней со дня регистрации',
    source: '59-ФЗ ст. 11 ч. 2',
    verified: true,
    perCategory: false,
  },
  {
    regime: 'appeal',
    kind: 'notice_unreadable',
    amount: 7,
    unit: 'calendar_days',
    from: 'registration',
    rule: 'Сообщить гражданину, что текст обращения не поддаётся прочтению (если фамилия и почтовый адрес читаются), в течение семи дней со дня регистрации',
    source: '59-ФЗ ст. 11 ч. 4',
    verified: true,
    perCategory: false,
  },
  {
    regime: 'appeal',
    kind: 'notice_unclear',
    amount: 7,
    unit: 'calendar_days',
    from: 'registration',
    rule: 'Сообщить гражданину, что суть предложения, заявления или жалобы определить невозможно, в течение семи дней со дня регистрации',
    source: '59-ФЗ ст. 11 ч. 4.1',
    verified: false,
    note: 'domain-ru §1.1 [P]: testhelp.link list, Минкультуры regulation.',
    perCategory: false,
  },
  {
    regime: 'message',
    kind: 'answer',
    amount: 10,
    unit: 'working_days',
    from: 'receipt',
    rule: 'Дать ответ на сообщение в срок, установленный для его категории (по умолчанию 10 рабочих дней)',
    source: 'ПП РФ от 10.11.2020 № 1802 (ПОС); срок по категории — регламент работы в ПОС',
    verified: false,
    note: 'domain-ru §2.2 [U]: the often-quoted default of up to 10 working days; the real period is set per category.',
    perCategory: true,
  },
  {
    regime: 'incident',
    kind: 'first_reaction',
    amount: 24,
    unit: 'hours',
    from: 'receipt',
    rule: 'Первая реакция на инцидент в срок, установленный для его категории (по умолчанию 24 часа)',
    source: 'Регламент ЦУР / отработки инцидентов региона (настраивается)',
    verified: false,
    note: 'domain-ru §2.3 [U]: no public federal SLA; regional ЦУР regulations set it.',
    perCategory: true,
  },
] satisfies StatutoryRule[]);

/** Upper bounds for per-category baselines (a sanity limit, not law). */
const MAX_MESSAGE_WORKING_DAYS = 60;
const MAX_INCIDENT_HOURS = 24 * 30;

export interface DeadlineSettings {
  /** Last day of a calendar-day period on a day off; default `previous_working_day` (domain-ru §1.6). */
  policy?: LastDayPolicy;
  /** Which day is day 1; default `from_next_day` (day 0 = the registration date). */
  counting?: DayCounting;
  /**
   * Messages (working days) and incidents (hours): the baseline per category code, e.g. `{ "housing": 5 }`. Categories
   * without an entry use `defaultPeriod`, else the rule's default (10 working days / 24 hours). Not allowed for appeals
   * (59-ФЗ fixes their periods).
   */
  categoryPeriods?: Record<string, number>;
  defaultPeriod?: number;
  /** Incidents: count the reaction time in clock hours (default) or in working hours within `officeHours`. */
  incidentClock?: 'clock' | 'working';
  /**
   * Stricter internal control periods by kind, in the rule's unit (for `extended_answer`: the extension, ≤ 30).
   * A value above the legal or baseline period is rejected.
   */
  internalControl?: Partial<Record<DeadlineKind, number>>;
  officeHours?: OfficeHours;
}

export interface DeadlineRequest {
  regime: Regime;
  /** When the case arrived (receipt). */
  start: Date;
  /** When an appeal was registered; defaults to `start` (registered on receipt). */
  registeredAt?: Date;
  /** The municipality's IANA zone, e.g. `Asia/Novokuznetsk`. */
  zone: ZoneInput;
  calendar: ProductionCalendar;
  /** The case category (ТОТКО or the municipality's code), for per-category periods. */
  category?: string;
  settings?: DeadlineSettings;
}

export interface Deadline {
  kind: DeadlineKind;
  /** The due instant the municipality works to: the internal control date when one is set, else the legal one. */
  dueAt: Date;
  /** `dueAt` with the zone's offset, e.g. `2026-05-29T23:59:59+07:00`. */
  dueAtText: string;
  /** The local date of `dueAt`. */
  dueDate: IsoDate;
  /** The due instant the law (or the category baseline) allows. Never earlier than `dueAt`. */
  legalDueAt: Date;
  legalDueAtText: string;
  /** `dueAt` comes from a stricter internal control setting. */
  internal: boolean;
  /** The period applied to `dueAt`, in `unit`. */
  amount: number;
  /** The legal (or baseline) period. */
  legalAmount: number;
  unit: PeriodUnit;
  from: StartPoint;
  /** Russian, human-readable; says which period applies and whether it is an internal control date. */
  rule: string;
  source: string;
  verified: boolean;
  /** The computation used a provisional calendar year. */
  provisional: boolean;
}

/** The rules of a regime. */
export function rulesFor(regime: Regime): StatutoryRule[] {
  return STATUTORY_RULES.filter((r) => r.regime === regime);
}

function positiveInteger(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw new DeadlineSettingError(field, `must be a whole number from 1 to ${max}`);
  return value;
}

/** The baseline period of a per-category rule for a category (settings checked). */
function baseline(rule: StatutoryRule, settings: DeadlineSettings, category: string | undefined): number {
  const max = rule.regime === 'message' ? MAX_MESSAGE_WORKING_DAYS : MAX_INCIDENT_HOURS;
  if (category !== undefined && settings.categoryPeriods?.[category] !== undefined)
    return positiveInteger(settings.categoryPeriods[category], `categoryPeriods.${category}`, max);
  if (settings.defaultPeriod !== undefined) return positiveInteger(settings.defaultPeriod, 'defaultPeriod', max);
  return rule.amount;
}

/**
 * Checks a regime's settings, throwing `DeadlineSettingError` naming the setting: unknown kinds, non-integers, a
 * per-category period for appeals, and any internal control period looser than the law (or, for messages and
 * incidents, looser than the smallest baseline it could apply to). Call it when settings are saved.
 */
export function validateDeadlineSettings(regime: Regime, settings: DeadlineSettings = {}): void {
  const rules = rulesFor(regime);
  const perCategory = rules.some((r) => r.perCategory);
  if (!perCategory) {
    if (settings.categoryPeriods !== undefined)
      throw new DeadlineSettingError(
        'categoryPeriods',
        'the periods of appeals are fixed by 59-ФЗ; only stricter internal control periods can be set',
      );
    if (settings.defaultPeriod !== undefined)
      throw new DeadlineSettingError(
        'defaultPeriod',
        'the periods of appeals are fixed by 59-ФЗ; only stricter internal control periods can be set',
      );
  }
  for (const rule of rules) {
    if (!rule.perCategory) continue;
    const max = rule.regime === 'message' ? MAX_MESSAGE_WORKING_DAYS : MAX_INCIDENT_HOURS;
    if (settings.defaultPeriod !== undefined) positiveInteger(settings.defaultPeriod, 'defaultPeriod', max);
    for (const [category, value] of Object.entries(settings.categoryPeriods ?? {}))
      positiveInteger(value, `categoryPeriods.${category}`, max);
  }
  if (settings.policy !== undefined && !['previous_working_day', 'next_working_day', 'none'].includes(settings.policy))
    throw new DeadlineSettingError('policy', 'must be previous_working_day, next_working_day or none');
  if (settings.counting !== undefined && !['from_next_day', 'from_start_day'].includes(settings.counting))
    throw new DeadlineSettingError('counting', 'must be from_next_day or from_start_day');
  if (settings.incidentClock !== undefined && !['clock', 'working'].includes(settings.incidentClock))
    throw new DeadlineSettingError('incidentClock', 'must be clock or working');
  for (const [kind, value] of Object.entries(settings.internalControl ?? {})) {
    const field = `internalControl.${kind}`;
    const rule = rules.find((r) => r.kind === kind);
    if (!rule) throw new DeadlineSettingError(field, `there is no ${kind} deadline for ${regime}s`);
    if (value === undefined) continue;
    const limit = rule.perCategory ? smallestBaseline(rule, settings) : rule.amount;
    positiveInteger(value, field, Number.MAX_SAFE_INTEGER);
    if (value > limit)
      throw new DeadlineSettingError(
        field,
        rule.perCategory
          ? `${value} is looser than the ${limit} ${unitEn(rule.unit)} set for a category; an internal control period may only be stricter`
          : `${value} is looser than the law (${rule.source}: ${limit} ${unitEn(rule.unit)}); an internal control period may only be stricter`,
      );
  }
}

function smallestBaseline(rule: StatutoryRule, settings: DeadlineSettings): number {
  const values = [settings.defaultPeriod ?? rule.amount, ...Object.values(settings.categoryPeriods ?? {})];
  return Math.min(...values);
}

/**
 * Every deadline of the regime for one case. Day-based deadlines are due at the end of their last day in the
 * municipality's zone; `incident` first reaction is due `N` hours (clock or working) after `start`.
 */
export function computeDeadlines(request: DeadlineRequest): Deadline[] {
  const settings = request.settings ?? {};
  validateDeadlineSettings(request.regime, settings);
  const zone = toZone(request.zone);
  const calendar = request.calendar;
  const policy = settings.policy ?? 'previous_working_day';
  const counting = settings.counting ?? 'from_next_day';
  const receiptMs = request.start.getTime();
  const registrationMs = (request.registeredAt ?? request.start).getTime();
  if (registrationMs < receiptMs) throw new DeadlineSettingError('registeredAt', 'the registration cannot be before the receipt');
  const out: Deadline[] = [];
  for (const rule of rulesFor(request.regime)) {
    const startMs = rule.from === 'receipt' ? receiptMs : registrationMs;
    const legalAmount = rule.perCategory ? baseline(rule, settings, request.category) : rule.amount;
    const internalAmount = settings.internalControl?.[rule.kind];
    const amount = internalAmount !== undefined && internalAmount < legalAmount ? internalAmount : legalAmount;
    const internal = amount !== legalAmount;
    const base = rule.extends
      ? (STATUTORY_RULES.find((r) => r.regime === rule.regime && r.kind === rule.extends)?.amount ?? 0)
      : 0;
    const due = (n: number): { ms: number; startDay: DayNumber; day: DayNumber } => {
      const startDay = zone.localDay(startMs);
      const s = calendar.index(startDay);
      if (rule.unit === 'hours') {
        const ms =
          settings.incidentClock === 'working'
            ? workSchedule(calendar, settings.officeHours ?? DEFAULT_OFFICE_HOURS).add(startMs, n * 3_600_000, zone)
            : startMs + n * 3_600_000;
        const day = zone.localDay(ms);
        calendar.index(day); // inside the calendar, like any other deadline
        return { ms, startDay, day };
      }
      const i =
        rule.unit === 'working_days'
          ? calendar.addWorkingDaysAt(s, n)
          : calendar.addCalendarDaysAt(s, base + n, policy, counting);
      const day = calendar.firstDay + i;
      return { ms: zone.endOfDay(day), startDay, day };
    };
    const legal = due(legalAmount);
    const actual = internal ? due(amount) : legal;
    out.push({
      kind: rule.kind,
      dueAt: new Date(actual.ms),
      dueAtText: formatInstant(actual.ms, zone),
      dueDate: formatIsoDate(actual.day),
      legalDueAt: new Date(legal.ms),
      legalDueAtText: formatInstant(legal.ms, zone),
      internal,
      amount,
      legalAmount,
      unit: rule.unit,
      from: rule.from,
      rule: ruleText(rule, legalAmount, amount, internal, request.category, settings),
      source: rule.source,
      verified: rule.verified,
      provisional: calendar.isProvisionalBetween(legal.startDay, legal.day),
    });
  }
  return out;
}

function ruleText(
  rule: StatutoryRule,
  legalAmount: number,
  amount: number,
  internal: boolean,
  category: string | undefined,
  settings: DeadlineSettings,
): string {
  let text = rule.rule;
  if (rule.perCategory) {
    const what = rule.regime === 'message' ? 'Дать ответ на сообщение' : 'Первая реакция на инцидент';
    const unit =
      rule.unit === 'hours' && settings.incidentClock === 'working'
        ? `${unitRu('hours', legalAmount, 'gen')} рабочего времени`
        : unitRu(rule.unit, legalAmount, 'gen');
    text = `${what} в течение ${legalAmount} ${unit}${category !== undefined ? ` (категория «${category}»)` : ''}`;
  }
  if (internal)
    text += `. Внутренний контрольный срок — ${amount} ${unitRu(rule.unit, amount)}${rule.extends ? ' продления' : ''} (строже установленного)`;
  return text;
}

function unitEn(unit: PeriodUnit): string {
  return unit === 'calendar_days' ? 'calendar days' : unit === 'working_days' ? 'working days' : 'hours';
}

/**
 * A unit after a number in Russian: nominative («срок — 2 рабочих дня», «25 календарных дней») or genitive, as after
 * «в течение» («в течение 1 рабочего дня», «в течение 24 часов»).
 */
function unitRu(unit: PeriodUnit, n: number, grammaticalCase: 'nom' | 'gen' = 'nom'): string {
  const nominative: Record<PeriodUnit, [string, string, string]> = {
    calendar_days: ['календарный день', 'календарных дня', 'календарных дней'],
    working_days: ['рабочий день', 'рабочих дня', 'рабочих дней'],
    hours: ['час', 'часа', 'часов'],
  };
  const genitive: Record<PeriodUnit, [string, string]> = {
    calendar_days: ['календарного дня', 'календарных дней'],
    working_days: ['рабочего дня', 'рабочих дней'],
    hours: ['часа', 'часов'],
  };
  const mod10 = n % 10;
  const mod100 = n % 100;
  const singular = mod10 === 1 && mod100 !== 11;
  if (grammaticalCase === 'gen') return genitive[unit][singular ? 0 : 1];
  const [one, few, many] = nominative[unit];
  if (singular) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}
