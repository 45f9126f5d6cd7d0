import type { Principal } from '../../core/auth/principal.ts';

// Who may do what in a contest (issue 8). A contest belongs to a region: its administrators set it up, check the
// applications and run the meeting; its commission members vote; a municipality's administrators write their own
// application. Anyone else — including staff of another region — does not learn that the contest exists (404).

export const isRegionalAdmin = (p: Principal | undefined, regionId: number) =>
  !!p && p.roles.some((g) => g.role === 'regional_admin' && g.regionId === regionId);

export const isCommissionMember = (p: Principal | undefined, regionId: number) =>
  !!p && p.roles.some((g) => g.role === 'commission_member' && g.regionId === regionId);

/** The municipalities whose applications the principal writes (its municipal administrator's grants). */
export const adminMunicipalities = (p: Principal | undefined): number[] =>
  p
    ? p.roles.filter((g) => g.role === 'municipal_admin' && g.municipalityId !== null).map((g) => g.municipalityId as number)
    : [];

export const isMunicipalAdmin = (p: Principal | undefined, municipalityId: number) =>
  adminMunicipalities(p).includes(municipalityId);

/** Sees the whole contest (every application, the tally, the protocol): the region's administrators and commission. */
export const seesWholeContest = (p: Principal | undefined, regionId: number) =>
  isRegionalAdmin(p, regionId) || isCommissionMember(p, regionId);
