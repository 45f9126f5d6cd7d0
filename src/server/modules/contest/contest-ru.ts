// Russian names of the contest's states, roles and form sections (issue 8), shared by presenters and the protocol.

export const CONTEST_STATUSES = ['setup', 'meeting', 'decided', 'approved', 'published'] as const;
export type ContestStatus = (typeof CONTEST_STATUSES)[number];
export const CONTEST_STATUS_NAMES: Record<ContestStatus, string> = {
  setup: 'подготовка, приём и проверка заявок',
  meeting: 'заседание комиссии: голосование',
  decided: 'заседание закрыто, решения приняты',
  approved: 'протокол утверждён',
  published: 'итоги опубликованы',
};

export const APPLICATION_STATUSES = ['draft', 'submitted', 'returned', 'conforms', 'admitted'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const APPLICATION_STATUS_NAMES: Record<ApplicationStatus, string> = {
  draft: 'черновик',
  submitted: 'подана, на проверке',
  returned: 'возвращена на доработку',
  conforms: 'соответствует Положению',
  admitted: 'допущена к участию',
};

export const MEMBER_ROLES = ['chair', 'deputy_chair', 'secretary', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MEMBER_ROLE_NAMES: Record<MemberRole, string> = {
  chair: 'председатель конкурсной комиссии',
  deputy_chair: 'заместитель председателя конкурсной комиссии',
  secretary: 'секретарь конкурсной комиссии',
  member: 'член конкурсной комиссии',
};

export const STAGE_NAMES = { regional: 'региональный этап', federal: 'федеральный этап' } as const;
export const METHOD_NAMES = {
  ranking: 'ранжирование (каждый член комиссии расставляет заявки категории по местам; сумма мест, метод Борда)',
  criteria: 'оценка по критериям от 1 до 10 баллов с весами (средневзвешенный балл)',
} as const;

/** The sections of the application form, in the order of the seed's characterisations. */
export const SECTIONS = [
  'practice',
  'prerequisites',
  'description',
  'interactionForms',
  'strengths',
  'weaknesses',
  'resourcesMaterial',
  'resourcesImmaterial',
  'results',
] as const;
export type SectionKey = (typeof SECTIONS)[number];
export const SECTION_NAMES: Record<SectionKey, string> = {
  practice: 'Практика',
  prerequisites: 'Предпосылки реализации практики',
  description: 'Описание практики',
  interactionForms: 'Формы взаимодействия с жителями',
  strengths: 'Сильные стороны практики',
  weaknesses: 'Слабые стороны практики',
  resourcesMaterial: 'Ресурсы, необходимые для реализации практики: материальные',
  resourcesImmaterial: 'Ресурсы, необходимые для реализации практики: нематериальные',
  results: 'Результаты (с цифрами)',
};
/** A submitted application has at least these. */
export const REQUIRED_SECTIONS: readonly SectionKey[] = ['practice', 'prerequisites', 'description', 'results'];

/** The categories of the contest (domain-ru §6): I — округа and городские поселения, II — сельские поселения. */
export const DEFAULT_CATEGORIES = [
  {
    code: 'I',
    name: 'городские, муниципальные округа и городские поселения',
    municipalityTypes: ['urban_okrug', 'municipal_okrug', 'urban_settlement'] as const,
  },
  { code: 'II', name: 'сельские поселения', municipalityTypes: ['rural_settlement'] as const },
];

export const ROMAN_LETTERS = ['а', 'б', 'в', 'г', 'д', 'е'];

const MONTHS = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];
/** «20 августа 2020 года» from YYYY-MM-DD. */
export function dateWords(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y} года`;
}
/** «17» июля 2020 года (the approval stamp's date). */
export function stampDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `«${String(d).padStart(2, '0')}» ${MONTHS[m - 1]} ${y} года`;
}
/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
/** «К.Г. Венгер» from the parts of a name. */
export const initialsName = (m: { last_name: string; first_name: string; middle_name: string | null }) =>
  `${m.first_name[0]}.${m.middle_name ? `${m.middle_name[0]}.` : ''} ${m.last_name}`;
export const fullName = (m: { last_name: string; first_name: string; middle_name: string | null }) =>
  [m.last_name, m.first_name, m.middle_name].filter(Boolean).join(' ');
