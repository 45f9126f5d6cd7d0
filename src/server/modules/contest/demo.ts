import { writeAudit } from '../../core/audit/audit.ts';
import { systemContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { DEFAULT_CATEGORIES } from './contest-ru.ts';

export const DEMO_NOMINATION =
  'Обеспечение эффективной «обратной связи» с жителями муниципальных образований, развитие территориального общественного самоуправления и привлечение граждан к осуществлению (участию в осуществлении) местного самоуправления в иных формах';

/**
 * Demo: the Кузбасс contest of the current year in its setup stage — the window open for a month from `now`, the
 * commission of the seed's protocol (the demo commission member's account as a voting member), categories I and II.
 * Idempotent: a region that already has a contest is left alone. Call it after seedDemo (it needs the region).
 */
export async function seedContestDemo(db: Db, now: Date): Promise<{ contestId: number | null }> {
  const region = await db.selectFrom('region').select('id').where('slug', '=', 'kuzbass').executeTakeFirst();
  if (!region) return { contestId: null };
  const existing = await db.selectFrom('contest').select('id').where('region_id', '=', region.id).executeTakeFirst();
  if (existing) return { contestId: existing.id };
  const commissionUser = await db
    .selectFrom('user_role')
    .select('user_id')
    .where('role', '=', 'commission_member')
    .where('region_id', '=', region.id)
    .orderBy('user_id')
    .executeTakeFirst();
  const ctx = systemContext(now);
  const year = now.getUTCFullYear();
  return db.transaction().execute(async (trx) => {
    const c = await trx
      .insertInto('contest')
      .values({
        region_id: region.id,
        year,
        stage: 'regional',
        title: 'Лучшая муниципальная практика',
        nomination: DEMO_NOMINATION,
        organizer: 'департамент внутренней политики Губернатора Кемеровской области – Кузбасса',
        regulation: 'Положению о региональном этапе Всероссийского конкурса «Лучшая муниципальная практика»',
        applications_from: now,
        applications_to: new Date(now.getTime() + 30 * 86_400_000),
        resubmit_to: new Date(now.getTime() + 37 * 86_400_000),
        review_to: new Date(now.getTime() + 40 * 86_400_000),
        meeting_at: new Date(now.getTime() + 45 * 86_400_000),
        method: 'ranking',
        recommend_top: 2,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('contest_category')
      .values(
        DEFAULT_CATEGORIES.map((k, i) => ({
          contest_id: c.id,
          code: k.code,
          name: k.name,
          municipality_types: [...k.municipalityTypes],
          position: i,
          tiebreak: null,
        })),
      )
      .execute();
    const seats = [
      [
        'chair',
        'Венгер',
        'Константин',
        'Геннадьевич',
        'заместитель Губернатора Кемеровской области – Кузбасса (по экономическому развитию)',
        null,
      ],
      [
        'deputy_chair',
        'Турбаба',
        'Ольга',
        'Владиславовна',
        'заместитель Губернатора Кемеровской области – Кузбасса (по внутренней политике)',
        null,
      ],
      [
        'secretary',
        'Левкович',
        'Олеся',
        'Анатольевна',
        'начальник департамента внутренней политики Губернатора Кемеровской области – Кузбасса',
        null,
      ],
      ['member', 'Громов', 'Алексей', 'Викторович', 'член комиссии', commissionUser?.user_id ?? null],
    ] as const;
    await trx
      .insertInto('contest_member')
      .values(
        seats.map(([role, last, first, middle, position, user], i) => ({
          contest_id: c.id,
          role,
          last_name: last,
          first_name: first,
          middle_name: middle,
          position,
          user_id: user,
          present: null,
          sort: i,
        })),
      )
      .execute();
    await writeAudit(trx, ctx, { action: 'contest.demo_seed', entityType: 'contest', entityId: c.id });
    return { contestId: c.id };
  });
}
