/**
 * The contest's vocabulary (issue 8) that the server (validation, schemas, protocol) and the web app (the form, the
 * state badges) both use: the states, the commission roles and the application form's sections.
 */

export const CONTEST_STATUSES = ['setup', 'meeting', 'decided', 'approved', 'published'] as const;
export type ContestStatus = (typeof CONTEST_STATUSES)[number];

export const APPLICATION_STATUSES = ['draft', 'submitted', 'returned', 'conforms', 'admitted'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const MEMBER_ROLES = ['chair', 'deputy_chair', 'secretary', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

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
/** A submitted application has at least these. */
export const REQUIRED_SECTIONS: readonly SectionKey[] = ['practice', 'prerequisites', 'description', 'results'];
