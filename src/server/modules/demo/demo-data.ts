import type { MunicipalityType, Role } from '../../../shared/roles.ts';

/**
 * Demo data: Кемеровская область – Кузбасс and the municipalities whose practices the contest protocol
 * (../shared/seed) describes. OKTMO codes and populations of the cities are from HFLabs' city list
 * (CC BY-SA 4.0, github.com/hflabs/city); the rural settlement's OKTMO is illustrative, not verified.
 */
export const DEMO_REGION = {
  name: 'Кемеровская область – Кузбасс',
  slug: 'kuzbass',
  isoCode: 'RU-KEM',
  timeZone: 'Asia/Novokuznetsk',
};

export interface DemoMunicipality {
  key: string;
  name: string;
  shortName: string;
  slug: string;
  casePrefix: string;
  type: MunicipalityType;
  oktmo: string;
  population: number;
  departments: string[];
}

const CITY_DEPARTMENTS = [
  'Отдел по работе с обращениями граждан',
  'Управление жилищно-коммунального хозяйства',
  'Управление благоустройства',
  'Управление дорожного хозяйства и транспорта',
  'Управление образования',
  'Управление социальной защиты населения',
  'Управление архитектуры и градостроительства',
];

export const DEMO_MUNICIPALITIES: DemoMunicipality[] = [
  {
    key: 'kemerovo',
    name: 'Кемеровский городской округ',
    shortName: 'Кемерово',
    slug: 'kemerovo',
    casePrefix: 'КЕМ',
    type: 'urban_okrug',
    oktmo: '32701000',
    population: 532884,
    departments: CITY_DEPARTMENTS,
  },
  {
    key: 'belovo',
    name: 'Беловский городской округ',
    shortName: 'Белово',
    slug: 'belovo',
    casePrefix: 'БЕЛ',
    type: 'urban_okrug',
    oktmo: '32707000',
    population: 76752,
    departments: CITY_DEPARTMENTS,
  },
  {
    key: 'mariinsk',
    name: 'Мариинское городское поселение',
    shortName: 'Мариинск',
    slug: 'mariinsk',
    casePrefix: 'МАР',
    type: 'urban_settlement',
    oktmo: '32616101',
    population: 40522,
    departments: [
      'Отдел по работе с обращениями граждан',
      'Отдел жилищно-коммунального хозяйства и благоустройства',
      'Отдел архитектуры и градостроительства',
    ],
  },
  {
    key: 'kalininskoe',
    name: 'Калининское сельское поселение',
    shortName: 'Калининское',
    slug: 'kalininskoe',
    casePrefix: 'КАЛ',
    type: 'rural_settlement',
    oktmo: '32616404',
    population: 1900,
    departments: ['Администрация сельского поселения'],
  },
];

/** Issue 5: a category as an Open311 service — its code, description, keywords, group and optional questions. */
export interface DemoService {
  code: string;
  description: string;
  keywords: string;
  group: string;
  attributes: Array<{
    code: string;
    datatype: 'string' | 'number' | 'singlevaluelist' | 'multivaluelist';
    description: string;
    values?: Array<{ key: string; name: string }>;
  }>;
}

/** Case categories seeded in every demo municipality that has the department they route to. */
export const DEMO_CATEGORIES: Array<{
  name: string;
  totkoCode: string;
  regime: 'appeal' | 'message';
  department: string;
  service?: DemoService;
}> = [
  {
    name: 'Дороги и тротуары',
    totkoCode: '0003.0009.0099.0742',
    regime: 'appeal',
    department: 'Управление дорожного хозяйства и транспорта',
  },
  {
    name: 'Благоустройство дворов',
    totkoCode: '0003.0009.0097.0689',
    regime: 'appeal',
    department: 'Управление благоустройства',
  },
  {
    name: 'ЖКХ: отопление и водоснабжение',
    totkoCode: '0005.0005.0056',
    regime: 'appeal',
    department: 'Управление жилищно-коммунального хозяйства',
  },
  // Issue 5: map reports (сообщения по ПОС) — a pothole, a broken street lamp.
  {
    name: 'Ямы на дорогах',
    totkoCode: '0003.0009.0099.0742',
    regime: 'message',
    department: 'Управление дорожного хозяйства и транспорта',
    // Optional questions only: a report without answers is still accepted.
    service: {
      code: 'POTHOLE',
      description: 'Ямы и выбоины на проезжей части и тротуарах',
      keywords: 'яма, выбоина, асфальт, дорога',
      group: 'Дороги',
      attributes: [
        {
          code: 'SIZE',
          datatype: 'singlevaluelist',
          description: 'Какого размера яма?',
          values: [
            { key: 'small', name: 'Меньше 30 см' },
            { key: 'medium', name: '30–100 см' },
            { key: 'large', name: 'Больше метра' },
          ],
        },
        {
          code: 'ON_ROADWAY',
          datatype: 'multivaluelist',
          description: 'Где она?',
          values: [
            { key: 'roadway', name: 'На проезжей части' },
            { key: 'sidewalk', name: 'На тротуаре' },
            { key: 'crossing', name: 'На пешеходном переходе' },
          ],
        },
      ],
    },
  },
  {
    name: 'Уличное освещение',
    totkoCode: '0003.0009.0097.0689',
    regime: 'message',
    department: 'Управление благоустройства',
    service: {
      code: 'STREETLIGHT',
      description: 'Не горят или мигают уличные фонари',
      keywords: 'фонарь, освещение, опора, свет',
      group: 'Благоустройство',
      attributes: [
        { code: 'LAMPS', datatype: 'number', description: 'Сколько фонарей не горит?' },
        { code: 'POLE', datatype: 'string', description: 'Номер опоры, если виден' },
      ],
    },
  },
];

export const DEMO_PASSWORD = 'Otklik-demo-2026';

export interface DemoUser {
  email: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  roles: Array<{ role: Role; municipality?: string; department?: string }>;
}

export const DEMO_USERS: DemoUser[] = [
  {
    email: 'region.admin@otklik.demo',
    lastName: 'Соколова',
    firstName: 'Ирина',
    middleName: 'Павловна',
    roles: [{ role: 'regional_admin' }],
  },
  {
    email: 'commission@otklik.demo',
    lastName: 'Громов',
    firstName: 'Алексей',
    middleName: 'Викторович',
    roles: [{ role: 'commission_member' }],
  },
  {
    email: 'kem.admin@otklik.demo',
    lastName: 'Белова',
    firstName: 'Наталья',
    middleName: 'Сергеевна',
    roles: [{ role: 'municipal_admin', municipality: 'kemerovo' }],
  },
  {
    email: 'kem.operator@otklik.demo',
    lastName: 'Иванова',
    firstName: 'Ольга',
    middleName: 'Николаевна',
    roles: [{ role: 'operator', municipality: 'kemerovo', department: 'Отдел по работе с обращениями граждан' }],
  },
  {
    email: 'kem.executor@otklik.demo',
    lastName: 'Петров',
    firstName: 'Дмитрий',
    middleName: 'Андреевич',
    roles: [{ role: 'executor', municipality: 'kemerovo', department: 'Управление благоустройства' }],
  },
  {
    email: 'kem.head@otklik.demo',
    lastName: 'Кузнецов',
    firstName: 'Сергей',
    middleName: 'Иванович',
    roles: [{ role: 'head', municipality: 'kemerovo', department: 'Управление благоустройства' }],
  },
  {
    email: 'kem.moderator@otklik.demo',
    lastName: 'Смирнова',
    firstName: 'Анна',
    middleName: 'Олеговна',
    roles: [{ role: 'moderator', municipality: 'kemerovo' }],
  },
  {
    email: 'bel.operator@otklik.demo',
    lastName: 'Васильева',
    firstName: 'Елена',
    middleName: 'Петровна',
    roles: [{ role: 'operator', municipality: 'belovo', department: 'Отдел по работе с обращениями граждан' }],
  },
  {
    email: 'bel.admin@otklik.demo',
    lastName: 'Морозов',
    firstName: 'Игорь',
    middleName: 'Юрьевич',
    roles: [{ role: 'municipal_admin', municipality: 'belovo' }],
  },
  {
    email: 'bel.head@otklik.demo',
    lastName: 'Захаров',
    firstName: 'Виктор',
    middleName: 'Михайлович',
    roles: [{ role: 'head', municipality: 'belovo', department: 'Управление благоустройства' }],
  },
  {
    email: 'mar.admin@otklik.demo',
    lastName: 'Фёдорова',
    firstName: 'Татьяна',
    middleName: 'Александровна',
    roles: [{ role: 'municipal_admin', municipality: 'mariinsk' }],
  },
  {
    email: 'kal.admin@otklik.demo',
    lastName: 'Егоров',
    firstName: 'Николай',
    roles: [{ role: 'municipal_admin', municipality: 'kalininskoe' }],
  },
  {
    email: 'resident@otklik.demo',
    lastName: 'Новиков',
    firstName: 'Павел',
    middleName: 'Сергеевич',
    roles: [{ role: 'resident' }],
  },
  { email: 'resident2@otklik.demo', lastName: 'Орлова', firstName: 'Мария', roles: [{ role: 'resident' }] },
];

/**
 * Answer templates seeded in Кемерово: one per demo category and one for any category. Placeholders are those of
 * modules/cases/commands/render-template.ts ({{number}}, {{applicant}}, {{received}}, …).
 */
export const DEMO_ANSWER_TEMPLATES: Array<{
  municipality: string;
  category: string | null;
  title: string;
  text: string;
  result: 'supported' | 'not_supported' | 'explained' | null;
}> = [
  {
    municipality: 'kemerovo',
    category: 'Дороги и тротуары',
    title: 'Ремонт дороги включён в план',
    text:
      'Уважаемый(ая) {{applicant}}!\n\nВаше обращение № {{number}} от {{received}} о состоянии дороги ({{address}}) ' +
      'рассмотрено. Участок включён в план ямочного ремонта текущего сезона; работы будут выполнены подрядной ' +
      'организацией в срок до 1 сентября.\n\nУправление дорожного хозяйства и транспорта, {{municipality}}',
    result: 'supported',
  },
  {
    municipality: 'kemerovo',
    category: 'Благоустройство дворов',
    title: 'Благоустройство двора: программа «Формирование комфортной городской среды»',
    text:
      'Уважаемый(ая) {{applicant}}!\n\nПо обращению № {{number}} от {{received}} сообщаем: благоустройство дворовой ' +
      'территории ({{address}}) выполняется по муниципальной программе «Формирование комфортной городской среды». ' +
      'Для включения двора в программу собственникам помещений необходимо принять решение на общем собрании и ' +
      'направить заявку через управляющую организацию.\n\nУправление благоустройства, {{municipality}}',
    result: 'explained',
  },
  {
    municipality: 'kemerovo',
    category: 'ЖКХ: отопление и водоснабжение',
    title: 'Перебои в теплоснабжении устранены',
    text:
      'Уважаемый(ая) {{applicant}}!\n\nПо обращению № {{number}} от {{received}} проведена проверка. Ресурсоснабжающей ' +
      'организации выдано предписание; теплоснабжение по адресу {{address}} восстановлено. Перерасчёт платы за период ' +
      'ненадлежащего качества услуги выполняет управляющая организация.\n\nУправление жилищно-коммунального хозяйства, ' +
      '{{municipality}}',
    result: 'supported',
  },
  {
    municipality: 'kemerovo',
    category: 'Ямы на дорогах',
    title: 'Яма заделана',
    text:
      'По сообщению № {{number}} от {{received}} выполнен ямочный ремонт ({{address}}). Спасибо, что сообщили! ' +
      'Если покрытие снова разрушится, отметьте место на карте ещё раз.\n\nУправление дорожного хозяйства, {{municipality}}',
    result: 'supported',
  },
  {
    municipality: 'kemerovo',
    category: 'Уличное освещение',
    title: 'Освещение восстановлено',
    text:
      'По сообщению № {{number}} от {{received}} заменены светильники, освещение восстановлено ({{address}}).\n\n' +
      '{{municipality}}',
    result: 'supported',
  },
  {
    municipality: 'kemerovo',
    category: null,
    title: 'Ответ по существу (общий)',
    text:
      'Уважаемый(ая) {{applicant}}!\n\nВаше обращение № {{number}} от {{received}} рассмотрено. По существу ' +
      'поставленных вопросов сообщаем следующее: …\n\nПринятое по обращению решение Вы вправе обжаловать в ' +
      'вышестоящий орган или в суд (ст. 5 Федерального закона от 02.05.2006 № 59-ФЗ).\n\n{{municipality}}',
    result: 'explained',
  },
];
