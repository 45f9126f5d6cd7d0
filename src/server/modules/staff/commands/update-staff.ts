import { writeAudit } from '../../../core/audit/audit.ts';
import { revokeAllSessions } from '../../../core/auth/sessions.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { forbidden, invalid, notFound } from '../../../core/http/errors.ts';
import type { GrantRequest } from '../staff.permissions.ts';
import { staffPermissions } from '../staff.permissions.ts';
import { findUser, rolesOf } from '../staff.repository.ts';
import { resolveGrants } from './provision-user.ts';

export interface UpdateStaffInput {
  lastName?: string | undefined;
  firstName?: string | undefined;
  middleName?: string | null | undefined;
  phone?: string | null | undefined;
  isActive?: boolean | undefined;
  /** Replaces the grants the caller manages; grants outside the caller's scope are kept as they are. */
  roles?: GrantRequest[] | undefined;
}

export async function updateStaff(db: Db, ctx: CommandContext, userId: number, input: UpdateStaffInput) {
  return db.transaction().execute(async (trx) => {
    const user = await findUser(trx, userId);
    const before = await rolesOf(trx, [userId]);
    const staffScopes = before.filter((g) => g.role !== 'resident').map((g) => g.municipality_id);
    if (!user || staffScopes.length === 0 || !staffScopes.some((m) => staffPermissions.view(ctx.principal, m))) {
      throw notFound('Staff member');
    }
    if (!staffScopes.some((m) => staffPermissions.manage(ctx.principal, m))) {
      throw forbidden('Only an administrator can change staff accounts');
    }
    if (ctx.principal?.userId === userId && input.isActive === false)
      throw invalid('isActive', 'you cannot block your own account');
    await trx
      .updateTable('app_user')
      .set({
        ...(input.lastName !== undefined && { last_name: input.lastName.trim() }),
        ...(input.firstName !== undefined && { first_name: input.firstName.trim() }),
        ...(input.middleName !== undefined && { middle_name: input.middleName?.trim() || null }),
        ...(input.phone !== undefined && { phone: input.phone }),
        ...(input.isActive !== undefined && { is_active: input.isActive }),
        updated_at: ctx.now,
      })
      .where('id', '=', userId)
      .execute();
    if (input.isActive === false) await revokeAllSessions(trx, userId, ctx.now);
    if (input.roles) {
      const grants = await resolveGrants(trx, ctx, input.roles);
      const managed = before.filter(
        (g) =>
          g.role !== 'resident' && staffPermissions.grant(ctx.principal, { role: g.role, municipalityId: g.municipality_id }),
      );
      for (const g of managed) {
        await trx
          .deleteFrom('user_role')
          .where('user_id', '=', userId)
          .where('role', '=', g.role)
          .where((eb) =>
            g.municipality_id === null ? eb('municipality_id', 'is', null) : eb('municipality_id', '=', g.municipality_id),
          )
          .execute();
      }
      if (grants.length)
        await trx
          .insertInto('user_role')
          .values(grants.map((g) => ({ ...g, user_id: userId, created_at: ctx.now })))
          .execute();
      // Roles changed: open sessions pick the new roles up on their next request (roles are loaded per request).
    }
    const after = { user: await findUser(trx, userId), roles: await rolesOf(trx, [userId]) };
    await writeAudit(trx, ctx, {
      action: 'user.update',
      entityType: 'user',
      entityId: userId,
      municipalityId: staffScopes.find((m) => m !== null) ?? null,
      before: { user, roles: before },
      after,
    });
    return after;
  });
}
