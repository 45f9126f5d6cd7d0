import type { MunicipalityType } from '../../../../shared/roles.ts';
import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../../core/http/errors.ts';
import { tenancyPermissions } from '../permissions.ts';
import { findMunicipality, findRegion } from '../tenancy.repository.ts';

export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw invalid('timeZone', `«${timeZone}» is not an IANA time zone (e.g. Asia/Novokuznetsk)`);
  }
}

function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' ? (e.constraint ?? 'unique') : undefined;
}

export interface CreateMunicipalityInput {
  regionId: number;
  name: string;
  shortName: string;
  slug: string;
  casePrefix: string;
  type: MunicipalityType;
  oktmo: string;
  population?: number | undefined;
  timeZone?: string | undefined;
}

export async function createMunicipality(db: Db, ctx: CommandContext, input: CreateMunicipalityInput) {
  if (!tenancyPermissions.createMunicipality(ctx.principal))
    throw forbidden('Only a regional administrator can add municipalities');
  const region = await findRegion(db, input.regionId);
  if (!region) throw notFound('Region');
  const timeZone = input.timeZone ?? region.time_zone;
  assertTimeZone(timeZone);
  try {
    return await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('municipality')
        .values({
          region_id: input.regionId,
          name: input.name.trim(),
          short_name: input.shortName.trim(),
          slug: input.slug,
          case_prefix: input.casePrefix,
          type: input.type,
          oktmo: input.oktmo,
          population: input.population ?? null,
          time_zone: timeZone,
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const created = await findMunicipality(trx, id);
      await writeAudit(trx, ctx, {
        action: 'municipality.create',
        entityType: 'municipality',
        entityId: id,
        municipalityId: id,
        after: created,
      });
      return created!;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint) {
      throw new AppError('CONFLICT', 'A municipality with this name, slug or case prefix already exists', [
        {
          field: constraint.includes('slug') ? 'slug' : constraint.includes('prefix') ? 'casePrefix' : 'name',
          reason: 'already exists',
        },
      ]);
    }
    throw error;
  }
}

export interface UpdateMunicipalityInput {
  name?: string | undefined;
  shortName?: string | undefined;
  type?: MunicipalityType | undefined;
  oktmo?: string | undefined;
  population?: number | null | undefined;
  timeZone?: string | undefined;
  isActive?: boolean | undefined;
}

export async function updateMunicipality(db: Db, ctx: CommandContext, id: number, input: UpdateMunicipalityInput) {
  if (input.timeZone) assertTimeZone(input.timeZone);
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await findMunicipality(trx, id);
      if (!before) throw notFound('Municipality');
      if (!tenancyPermissions.editMunicipality(ctx.principal, id))
        throw forbidden('Only an administrator of this municipality can change it');
      await trx
        .updateTable('municipality')
        .set({
          ...(input.name !== undefined && { name: input.name.trim() }),
          ...(input.shortName !== undefined && { short_name: input.shortName.trim() }),
          ...(input.type !== undefined && { type: input.type }),
          ...(input.oktmo !== undefined && { oktmo: input.oktmo }),
          ...(input.population !== undefined && { population: input.population }),
          ...(input.timeZone !== undefined && { time_zone: input.timeZone }),
          ...(input.isActive !== undefined && { is_active: input.isActive }),
          updated_at: ctx.now,
        })
        .where('id', '=', id)
        .execute();
      const after = await findMunicipality(trx, id);
      await writeAudit(trx, ctx, {
        action: 'municipality.update',
        entityType: 'municipality',
        entityId: id,
        municipalityId: id,
        before,
        after,
      });
      return after!;
    });
  } catch (error) {
    if (uniqueViolation(error))
      throw new AppError('CONFLICT', 'Another municipality already has this name', [{ field: 'name', reason: 'already exists' }]);
    throw error;
  }
}
