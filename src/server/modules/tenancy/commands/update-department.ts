import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { tenancyPermissions } from '../permissions.ts';
import { findDepartment, findDepartmentByName } from '../tenancy.repository.ts';

export interface UpdateDepartmentInput {
  name?: string | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  isActive?: boolean | undefined;
}

export async function updateDepartment(db: Db, ctx: CommandContext, id: number, input: UpdateDepartmentInput) {
  return db.transaction().execute(async (trx) => {
    const before = await findDepartment(trx, id);
    // A department of another municipality is reported as absent, not forbidden: its existence is not disclosed.
    if (!before || !tenancyPermissions.viewDepartments(ctx.principal, before.municipality_id)) throw notFound('Department');
    if (!tenancyPermissions.manageDepartments(ctx.principal, before.municipality_id)) {
      throw forbidden('Only an administrator of this municipality can change departments');
    }
    const name = input.name?.trim();
    if (name && name.toLowerCase() !== before.name.toLowerCase()) {
      if (await findDepartmentByName(trx, before.municipality_id, name)) {
        throw new AppError('CONFLICT', `A department named «${name}» already exists in this municipality`, [
          { field: 'name', reason: 'already exists' },
        ]);
      }
    }
    await trx
      .updateTable('department')
      .set({
        ...(name !== undefined && { name }),
        ...(input.email !== undefined && { email: input.email }),
        ...(input.phone !== undefined && { phone: input.phone }),
        ...(input.isActive !== undefined && { is_active: input.isActive }),
        updated_at: ctx.now,
      })
      .where('id', '=', id)
      .execute();
    const after = await findDepartment(trx, id);
    await writeAudit(trx, ctx, {
      action: 'department.update',
      entityType: 'department',
      entityId: id,
      municipalityId: before.municipality_id,
      before,
      after,
    });
    return after!;
  });
}
