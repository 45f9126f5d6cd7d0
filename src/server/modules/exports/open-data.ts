// Open data (issue 7, item 4): the cases of a municipality and year, anonymised, at a stable public URL. Pure: the
// fields, their descriptions and the anonymisation of one row. What is published and why is in README.md here.
import { type CsvDialect, csvLine, OPEN_DATA } from '../../core/documents/index.ts';
import { formatIsoDate, timeZone } from '../../core/time/index.ts';

/**
 * Coordinates are rounded to this many decimal places of a degree: 0.01° is about 1.1 km of latitude and 0.6–0.7 km
 * of longitude at Кузбасс's 54–56° N — a neighbourhood, not a house (a report's exact point can be a resident's
 * home). Only map reports (messages and incidents) carry a point; appeals under 59-ФЗ never do here.
 */
export const COORDINATE_DECIMALS = 2;
export const roundCoordinate = (x: number): number => {
  const f = 10 ** COORDINATE_DECIMALS;
  return Math.round(x * f) / f;
};

export const OPEN_DATA_VERSION = 1;

export interface OpenDataField {
  name: string;
  type: 'string' | 'date' | 'boolean' | 'number';
  nullable: boolean;
  description: string;
  /** The codes a field may hold, with their Russian meaning. */
  values?: Record<string, string>;
}

export const REGIME_VALUES = {
  appeal: 'обращение гражданина (59-ФЗ)',
  message: 'сообщение (ПОС, сообщение о проблеме)',
  incident: 'инцидент (в том числе из соцсетей)',
};
export const CHANNEL_VALUES = {
  web: 'сайт',
  api: 'мобильное приложение / API',
  phone: 'телефон',
  reception: 'личный приём',
  meeting: 'встреча, выезд',
  letter: 'письмо',
  social: 'социальные сети',
  open311: 'Open311',
  epgu: 'Госуслуги (ЕПГУ)',
};
export const STATUS_VALUES = {
  registered: 'зарегистрировано',
  assigned: 'направлено исполнителю',
  in_work: 'в работе',
  answer_drafted: 'готовится ответ',
  answered: 'дан ответ',
  rated: 'дан ответ, заявитель оценил',
  redirected: 'переадресовано по компетенции',
  closed: 'закрыто без ответа по существу или отозвано',
};
export const RESULT_VALUES = { supported: 'поддержано', not_supported: 'не поддержано', explained: 'разъяснено' };

/** The fields in their order: stable names (new ones are only ever added at the end; `version` changes otherwise). */
export const OPEN_DATA_FIELDS: readonly OpenDataField[] = [
  { name: 'number', type: 'string', nullable: false, description: 'Регистрационный номер дела' },
  {
    name: 'received_date',
    type: 'date',
    nullable: false,
    description: 'Дата поступления (местная дата муниципального образования, ГГГГ-ММ-ДД)',
  },
  { name: 'regime', type: 'string', nullable: false, description: 'Порядок рассмотрения', values: REGIME_VALUES },
  { name: 'channel', type: 'string', nullable: false, description: 'Канал поступления', values: CHANNEL_VALUES },
  { name: 'category', type: 'string', nullable: true, description: 'Рубрика (тема) муниципального образования' },
  {
    name: 'totko_code',
    type: 'string',
    nullable: true,
    description: 'Код вопроса по Типовому общероссийскому тематическому классификатору обращений (ТОТКО)',
  },
  { name: 'district', type: 'string', nullable: true, description: 'Район (внутригородской район, поселение), если известен' },
  { name: 'status', type: 'string', nullable: false, description: 'Состояние на момент выгрузки', values: STATUS_VALUES },
  { name: 'answered_date', type: 'date', nullable: true, description: 'Дата ответа (местная дата, ГГГГ-ММ-ДД)' },
  {
    name: 'on_time',
    type: 'boolean',
    nullable: true,
    description:
      'Рассмотрено в срок: true — ответ дан в срок; false — ответ дан с нарушением срока или срок истёк, а ответа нет; ' +
      'пусто — срок ещё не истёк или не установлен',
  },
  { name: 'result', type: 'string', nullable: true, description: 'Результат рассмотрения', values: RESULT_VALUES },
  {
    name: 'lat',
    type: 'number',
    nullable: true,
    description: `Широта, округлённая до ${COORDINATE_DECIMALS} знаков (около 1 км); только для сообщений и инцидентов на карте`,
  },
  {
    name: 'lon',
    type: 'number',
    nullable: true,
    description: `Долгота, округлённая до ${COORDINATE_DECIMALS} знаков; только для сообщений и инцидентов на карте`,
  },
];

/** What the repository reads for one case: never the applicant, the text, the address or the answer. */
export interface OpenDataSource {
  id: number;
  number: string;
  received_at: Date;
  regime: string;
  channel: string;
  category: string | null;
  totko_code: string | null;
  district: string | null;
  status: string;
  answered_at: Date | null;
  due_at: Date | null;
  /** The `late` of the last answer event (null: not answered, or no deadline). */
  answer_late: boolean | null;
  answer_result: string | null;
  lat: number | null;
  lon: number | null;
}

export type OpenDataRow = {
  number: string;
  received_date: string;
  regime: string;
  channel: string;
  category: string | null;
  totko_code: string | null;
  district: string | null;
  status: string;
  answered_date: string | null;
  on_time: boolean | null;
  result: string | null;
  lat: number | null;
  lon: number | null;
};

const OPEN = new Set(['registered', 'assigned', 'in_work', 'answer_drafted']);
const ANSWERED = new Set(['answered', 'rated']);

/** One case as published: local dates, on time decided as the analytics do, the point rounded for map reports only. */
export function openDataRow(c: OpenDataSource, zone: string, now: Date): OpenDataRow {
  const tz = timeZone(zone);
  const localDate = (d: Date) => formatIsoDate(tz.localDay(d.getTime()));
  const answered = ANSWERED.has(c.status) && c.answered_at !== null;
  const onTime = answered
    ? c.answer_late === null
      ? null
      : !c.answer_late
    : OPEN.has(c.status) && c.due_at !== null && c.due_at.getTime() < now.getTime()
      ? false
      : null;
  const mapReport = c.regime === 'message' || c.regime === 'incident';
  const point = mapReport && c.lat !== null && c.lon !== null;
  return {
    number: c.number,
    received_date: localDate(c.received_at),
    regime: c.regime,
    channel: c.channel,
    category: c.category,
    totko_code: c.totko_code,
    district: c.district,
    status: c.status,
    answered_date: answered && c.answered_at ? localDate(c.answered_at) : null,
    on_time: onTime,
    result: answered ? c.answer_result : null,
    lat: point ? roundCoordinate(c.lat as number) : null,
    lon: point ? roundCoordinate(c.lon as number) : null,
  };
}

/** The CSV header line. */
export const openDataCsvHeader = (dialect: CsvDialect = OPEN_DATA) =>
  csvLine(
    OPEN_DATA_FIELDS.map((f) => f.name),
    dialect,
  );

/** One CSV record (RFC 4180, `,`; booleans `true`/`false`, no value → empty). */
export const openDataCsvLine = (row: OpenDataRow, dialect: CsvDialect = OPEN_DATA) =>
  csvLine(
    OPEN_DATA_FIELDS.map((f) => {
      const v = row[f.name as keyof OpenDataRow];
      return v === null ? '' : String(v);
    }),
    dialect,
  );
