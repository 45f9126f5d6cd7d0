/** Roles and their Russian names, shared by server and web. */
export const ROLES = [
  'resident',
  'operator',
  'executor',
  'head',
  'moderator',
  'municipal_admin',
  'regional_admin',
  'commission_member',
] as const;
export type Role = (typeof ROLES)[number];

/** Scoped to the region rather than to one municipality. */
export const REGIONAL_ROLES: readonly Role[] = ['regional_admin', 'commission_member'];
export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'resident');
export const MUNICIPAL_STAFF_ROLES: readonly Role[] = STAFF_ROLES.filter((r) => !REGIONAL_ROLES.includes(r));

export const ROLE_NAMES_RU: Record<Role, string> = {
  resident: 'Житель',
  operator: 'Оператор',
  executor: 'Исполнитель',
  head: 'Руководитель',
  moderator: 'Модератор',
  municipal_admin: 'Администратор муниципалитета',
  regional_admin: 'Администратор региона',
  commission_member: 'Член конкурсной комиссии',
};

export const MUNICIPALITY_TYPES = ['urban_okrug', 'municipal_okrug', 'urban_settlement', 'rural_settlement'] as const;
export type MunicipalityType = (typeof MUNICIPALITY_TYPES)[number];
export const MUNICIPALITY_TYPE_NAMES_RU: Record<MunicipalityType, string> = {
  urban_okrug: 'городской округ',
  municipal_okrug: 'муниципальный округ',
  urban_settlement: 'городское поселение',
  rural_settlement: 'сельское поселение',
};
