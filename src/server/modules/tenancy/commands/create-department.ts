import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { tenancyPermissions } from '../permissions.ts';
import { findDepartment, findDepartmentByName, findMunicipality } from '../tenancy.repository.ts';

export interface CreateDepartmentInput {
  municipalityId: number;
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
}

export async function createDepartment(db: Db, ctx: CommandContext, input: CreateDepartmentInput) {
  if (!tenancyPermissions.manageDepartments(ctx.principal, input.municipalityId)) {
    throw forbidden('Only an administrator of this municipality can add departments');
  }
  const municipality = await findMunicipality(db, input.municipalityId);
  if (!municipality) throw notFound('Municipality');
  const name = input.name.trim();
  return db.transaction().execute(async (trx) => {
    if (await findDepartmentByName(trx, input.municipalityId, name)) {
      throw new AppError('CONFLICT', `A department named «${name}» already exists in this municipality`, [
        { field: 'name', reason: 'already exists' },
      ]);
    }
    const { id } = await trx
      .insertInto('department')
      .values({
        municipality_id: input.municipalityId,
        name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const department = await findDepartment(trx, id);
    await writeAudit(trx, ctx, {
      action: 'department.create',
      entityType: 'department',
      entityId: id,
      municipalityId: input.municipalityId,
      after: department,
    });
    return department!;
  });
}
