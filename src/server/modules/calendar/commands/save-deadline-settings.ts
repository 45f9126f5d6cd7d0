import { writeAudit } from '../../../core/audit/audit.ts';
import { hasRoleIn } from '../../../core/auth/principal.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { DeadlineSettingError, type DeadlineSettings, type Regime, validateDeadlineSettings } from '../../../core/time/index.ts';
import { findMunicipalityForDeadlines } from '../calendar.repository.ts';

export type MunicipalDeadlineSettings = Partial<Record<Regime, DeadlineSettings>>;

const REGIMES: Regime[] = ['appeal', 'message', 'incident'];

export function readSettings(raw: unknown): MunicipalDeadlineSettings {
  return raw && typeof raw === 'object' ? (raw as MunicipalDeadlineSettings) : {};
}

/**
 * A municipality sets its last-day policy and stricter internal control periods. The law's periods are the ceiling:
 * a looser setting is refused with the field named (core/time validateDeadlineSettings), never clamped silently.
 */
export async function saveDeadlineSettings(
  db: Db,
  ctx: CommandContext,
  municipalityId: number,
  settings: MunicipalDeadlineSettings,
) {
  if (!hasRoleIn(ctx.principal, ['municipal_admin', 'regional_admin'], municipalityId)) {
    throw forbidden('Only an administrator of this municipality can change its deadline settings');
  }
  for (const regime of REGIMES) {
    try {
      validateDeadlineSettings(regime, settings[regime] ?? {});
    } catch (error) {
      if (error instanceof DeadlineSettingError) {
        const field = `${regime}.${error.field}`;
        throw new AppError('VALIDATION_FAILED', `${field}: ${error.reason}`, [{ field, reason: error.reason }]);
      }
      throw error;
    }
  }
  return db.transaction().execute(async (trx) => {
    const before = await findMunicipalityForDeadlines(trx, municipalityId);
    if (!before) throw notFound('Municipality');
    await trx
      .updateTable('municipality')
      .set({ deadline_settings: JSON.stringify(settings), updated_at: ctx.now })
      .where('id', '=', municipalityId)
      .execute();
    await writeAudit(trx, ctx, {
      action: 'municipality.deadline_settings',
      entityType: 'municipality',
      entityId: municipalityId,
      municipalityId,
      before: readSettings(before.deadline_settings),
      after: settings,
    });
    return settings;
  });
}
