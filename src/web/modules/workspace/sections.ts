import { type Role, STAFF_ROLES } from '../../../shared/roles.ts';
import type { IconName } from '../../app/ui.tsx';

/** A part of the staff workspace and the roles whose navigation shows it. */
export interface Section {
  /** Below /staff/. */
  path: string;
  title: string;
  /** The title for a regional role, when it differs (a region-wide view of the same section). */
  regionalTitle?: string;
  roles: readonly Role[];
  icon: IconName;
  /** One sentence on what the section is for. */
  summary: string;
  /** What it will hold, for the honest «в разработке» page. */
  plans?: string[];
  built: boolean;
}

const ADMINS: readonly Role[] = ['municipal_admin', 'regional_admin'];

export const SECTIONS: readonly Section[] = [
  // Cases (issue 4): one queue for operators, executors and heads (filters: mine, overdue, due today), and the
  // operator's registration of a call, a letter or a visit.
  {
    path: 'cases',
    title: 'Обращения',
    roles: ['operator', 'executor', 'head'],
    icon: 'list',
    summary: 'Очередь обращений по ближайшему сроку: назначение, работа над ответом, согласование, контроль сроков.',
    built: true,
  },
  {
    path: 'cases/new',
    title: 'Регистрация обращений',
    roles: ['operator'],
    icon: 'inbox',
    summary: 'Регистрация обращений, поступивших письмом, по телефону, на личном приёме и на встрече с жителями.',
    built: true,
  },
  {
    path: 'monitoring',
    title: 'Мониторинг соцсетей',
    // Issue 6 (web/modules/monitoring): heads and municipal administrators may work here too (the server's
    // MONITORING_STAFF_ROLES) and reach it from the sources page; it is the moderator's and the region's duty.
    roles: ['moderator', 'regional_admin'],
    icon: 'chat',
    summary: 'Публикации жителей в соцсетях о проблемах: приём в работу как инцидентов, ответы авторам, запросы поиска.',
    built: true,
  },
  {
    path: 'monitoring/sources',
    title: 'Источники мониторинга',
    roles: ADMINS,
    icon: 'queue',
    summary: 'Сообщества ВКонтакте, каналы Telegram, ленты новостей и вебхуки: настройки, ключи доступа, состояние опроса.',
    built: true,
  },
  {
    path: 'calendar',
    title: 'Производственный календарь',
    roles: STAFF_ROLES,
    icon: 'calendar',
    summary: 'Рабочие, выходные и праздничные дни года с переносами и сокращёнными днями; источники данных.',
    built: true,
  },
  {
    path: 'deadlines',
    title: 'Проверка сроков',
    roles: STAFF_ROLES,
    icon: 'clock',
    summary: 'Когда истекают сроки по обращению, сообщению или инциденту, поступившему в указанный момент.',
    built: true,
  },
  {
    path: 'admin/municipalities',
    title: 'Муниципалитет',
    regionalTitle: 'Муниципалитеты региона',
    roles: ADMINS,
    icon: 'building',
    summary: 'Сведения о муниципалитете: название, тип, ОКТМО, население, часовой пояс.',
    built: true,
  },
  {
    path: 'admin/departments',
    title: 'Подразделения',
    roles: ADMINS,
    icon: 'people',
    summary: 'Структурные подразделения администрации, которым направляются обращения.',
    built: true,
  },
  {
    path: 'admin/users',
    title: 'Сотрудники',
    roles: ADMINS,
    icon: 'user',
    summary: 'Учётные записи сотрудников, их роли и подразделения; блокировка доступа.',
    built: true,
  },
  {
    path: 'admin/deadline-settings',
    title: 'Сроки и контроль',
    roles: ADMINS,
    icon: 'sliders',
    summary: 'Перенос последнего дня срока, сроки сообщений и инцидентов по категориям, внутренние контрольные сроки.',
    built: true,
  },
  {
    path: 'admin/audit',
    title: 'Журнал аудита',
    roles: ADMINS,
    icon: 'shield',
    summary: 'Кто и когда входил в систему, менял данные и просматривал персональные данные.',
    built: true,
  },
  {
    path: 'admin/jobs',
    title: 'Фоновые задачи',
    roles: ['regional_admin'],
    icon: 'queue',
    summary: 'Отправка писем и другие задачи сервера: очередь, ошибки, повтор невыполненных.',
    built: true,
  },
  {
    path: 'admin/calendar',
    title: 'Календарь: поправки',
    roles: ['regional_admin'],
    icon: 'calendar',
    summary: 'Годы производственного календаря и публикация поправок (переносы выходных, утверждение года).',
    built: true,
  },
  // Analytics (issue 7): a municipality's figures with drill-down, the heat map, a department's executors, the region.
  {
    path: 'analytics',
    title: 'Аналитика',
    roles: ['head', 'municipal_admin', 'regional_admin', 'commission_member'],
    icon: 'sliders',
    summary: 'Показатели работы с обращениями: сроки, динамика, подразделения, просроченные дела, карта проблем.',
    built: true,
  },
  {
    path: 'analytics/region',
    title: 'Сводка по региону',
    roles: ['regional_admin', 'commission_member'],
    icon: 'map',
    summary: 'Показатели работы с обращениями во всех муниципалитетах региона, рядом друг с другом.',
    built: true,
  },
  // The contest «Лучшая муниципальная практика» (issue 8, web/modules/contest): the region sets it up and runs the
  // meeting, a municipality's administrator applies, the commission votes.
  {
    path: 'contest',
    title: 'Конкурс «Лучшая муниципальная практика»',
    roles: ['regional_admin', 'municipal_admin', 'commission_member'],
    icon: 'trophy',
    summary: 'Региональный этап конкурса: заявки муниципалитетов, проверка, голосование комиссии, протокол и итоги.',
    built: true,
  },
];

/** The sections a person with these roles sees, titled for them. */
export function sectionsFor(roles: readonly Role[]): Section[] {
  const regional = roles.includes('regional_admin');
  return SECTIONS.filter((s) => s.roles.some((r) => roles.includes(r))).map((s) =>
    regional && s.regionalTitle ? { ...s, title: s.regionalTitle } : s,
  );
}
