// Russian names of the contest's states, roles and form sections (issue 8), shared by presenters and the protocol.
// The states, roles and sections themselves are in src/shared/contest.ts (the web app uses them too).

import type { ApplicationStatus, ContestStatus, MemberRole, SectionKey } from '../../../shared/contest.ts';
import { MONTHS_GENITIVE } from '../../../shared/months.ts';

export {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  CONTEST_STATUSES,
  type ContestStatus,
  MEMBER_ROLES,
  type MemberRole,
  REQUIRED_SECTIONS,
  SECTIONS,
  type SectionKey,
} from '../../../shared/contest.ts';

export const CONTEST_STATUS_NAMES: Record<ContestStatus, string> = {
  setup: 'подготовка, приём и проверка заявок',
  meeting: 'заседание комиссии: голосование',
  decided: 'заседание закрыто, решения приняты',
  approved: 'протокол утверждён',
  published: 'итоги опубликованы',
};

export const APPLICATION_STATUS_NAMES: Record<ApplicationStatus, string> = {
  draft: 'черновик',
  submitted: 'подана, на проверке',
  returned: 'возвращена на доработку',
  conforms: 'соответствует Положению',
  admitted: 'допущена к участию',
};

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

/** «20 августа 2020 года» from YYYY-MM-DD. */
export function dateWords(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS_GENITIVE[m - 1]} ${y} года`;
}
/** «17» июля 2020 года (the approval stamp's date). */
export function stampDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `«${String(d).padStart(2, '0')}» ${MONTHS_GENITIVE[m - 1]} ${y} года`;
}
/** «К.Г. Венгер» from the parts of a name. */
export const initialsName = (m: { last_name: string; first_name: string; middle_name: string | null }) =>
  `${m.first_name[0]}.${m.middle_name ? `${m.middle_name[0]}.` : ''} ${m.last_name}`;
export const fullName = (m: { last_name: string; first_name: string; middle_name: string | null }) =>
  [m.last_name, m.first_name, m.middle_name].filter(Boolean).join(' ');
