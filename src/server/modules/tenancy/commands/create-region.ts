import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid } from '../../../core/http/errors.ts';
import { assertTimeZone } from './save-municipality.ts';

export interface CreateRegionInput {
  name: string;
  slug: string;
  timeZone: string;
  /** ISO 3166-2 code of the subject (e.g. RU-TA): selects its regional holidays on the production calendar. */
  isoCode?: string | undefined;
}

/** The first step of a fresh (non-demo) install: the region that municipalities and regional roles belong to. */
export async function createRegion(db: Db, ctx: CommandContext, input: CreateRegionInput) {
  const name = input.name.trim();
  if (name.length < 3) throw invalid('name', 'must be at least 3 characters');
  if (!/^[a-z0-9-]{2,40}$/.test(input.slug)) throw invalid('slug', 'use 2–40 lowercase Latin letters, digits or hyphens');
  assertTimeZone(input.timeZone);
  if (input.isoCode !== undefined && !/^RU-[A-Z]{2,3}$/.test(input.isoCode)) {
    throw invalid('isoCode', 'use the ISO 3166-2 code of the subject, e.g. RU-KEM or RU-TA');
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const region = await trx
        .insertInto('region')
        .values({ name, slug: input.slug, time_zone: input.timeZone, iso_code: input.isoCode ?? null, created_at: ctx.now })
        .returning(['id', 'name', 'slug', 'time_zone'])
        .executeTakeFirstOrThrow();
      await writeAudit(trx, ctx, { action: 'region.create', entityType: 'region', entityId: region.id, after: region });
      return region;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new AppError('CONFLICT', `A region with the slug «${input.slug}» already exists`, [
        { field: 'slug', reason: 'already exists' },
      ]);
    }
    throw error;
  }
}
