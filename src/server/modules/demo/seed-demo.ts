import { writeAudit } from '../../core/audit/audit.ts';
import { systemContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { seedPlaces } from '../places/index.ts';
import { provisionUser } from '../staff/index.ts';
import { DEMO_BOUNDARIES } from './boundaries.ts';
import {
  DEMO_ANSWER_TEMPLATES,
  DEMO_CATEGORIES,
  DEMO_MUNICIPALITIES,
  DEMO_PASSWORD,
  DEMO_REGION,
  DEMO_USERS,
} from './demo-data.ts';

export interface SeedResult {
  created: boolean;
  municipalities: Record<string, number>;
  users: Array<{ email: string; roles: string }>;
}

/** Seeds the demo region once; a second run finds the region and changes nothing. */
export async function seedDemo(db: Db, now: Date): Promise<SeedResult> {
  const ctx = systemContext(now);
  const existing = await db.selectFrom('region').select('id').where('slug', '=', DEMO_REGION.slug).executeTakeFirst();
  const municipalities: Record<string, number> = {};
  const users = DEMO_USERS.map((u) => ({ email: u.email, roles: u.roles.map((r) => r.role).join(', ') }));
  if (existing) {
    const rows = await db.selectFrom('municipality').select(['id', 'slug']).where('region_id', '=', existing.id).execute();
    for (const r of rows) municipalities[r.slug] = r.id;
    return { created: false, municipalities, users };
  }
  const departments = new Map<string, number>();
  await db.transaction().execute(async (trx) => {
    const region = await trx
      .insertInto('region')
      .values({
        name: DEMO_REGION.name,
        slug: DEMO_REGION.slug,
        iso_code: DEMO_REGION.isoCode,
        time_zone: DEMO_REGION.timeZone,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const m of DEMO_MUNICIPALITIES) {
      const row = await trx
        .insertInto('municipality')
        .values({
          region_id: region.id,
          name: m.name,
          short_name: m.shortName,
          slug: m.slug,
          case_prefix: m.casePrefix,
          type: m.type,
          oktmo: m.oktmo,
          population: m.population,
          time_zone: DEMO_REGION.timeZone,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      municipalities[m.key] = row.id;
      const boundaries = DEMO_BOUNDARIES[m.key];
      if (boundaries) await seedPlaces(trx, row.id, boundaries, 'demo (approximate)', now);
      for (const name of m.departments) {
        const d = await trx
          .insertInto('department')
          .values({ municipality_id: row.id, name, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        departments.set(`${m.key}/${name}`, d.id);
      }
      for (const c of DEMO_CATEGORIES) {
        const departmentId = departments.get(`${m.key}/${c.department}`);
        if (departmentId === undefined) continue;
        const category = await trx
          .insertInto('category')
          .values({
            municipality_id: row.id,
            name: c.name,
            totko_code: c.totkoCode,
            regime: c.regime,
            department_id: departmentId,
            created_at: now,
            updated_at: now,
            ...(c.service && {
              service_code: c.service.code,
              description: c.service.description,
              keywords: c.service.keywords,
              service_group: c.service.group,
            }),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        // Issue 5: the category's questions (Open311 service attributes), all optional in the demo.
        if (c.service?.attributes.length) {
          await trx
            .insertInto('category_attribute')
            .values(
              c.service.attributes.map((a, i) => ({
                category_id: category.id,
                code: a.code,
                datatype: a.datatype,
                required: false,
                variable: true,
                description: a.description,
                datatype_description: null,
                order: i + 1,
                values: JSON.stringify(a.values ?? []),
              })),
            )
            .execute();
        }
      }
    }
    for (const tpl of DEMO_ANSWER_TEMPLATES) {
      const municipalityId = municipalities[tpl.municipality];
      if (municipalityId === undefined) continue;
      const category =
        tpl.category === null
          ? null
          : await trx
              .selectFrom('category')
              .select('id')
              .where('municipality_id', '=', municipalityId)
              .where('name', '=', tpl.category)
              .executeTakeFirst();
      if (category === undefined) continue;
      await trx
        .insertInto('answer_template')
        .values({
          municipality_id: municipalityId,
          category_id: category?.id ?? null,
          title: tpl.title,
          text: tpl.text,
          result: tpl.result,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    await writeAudit(trx, ctx, { action: 'demo.seed', entityType: 'region', entityId: region.id, after: { municipalities } });
  });
  for (const u of DEMO_USERS) {
    await provisionUser(
      db,
      ctx,
      {
        email: u.email,
        password: DEMO_PASSWORD,
        lastName: u.lastName,
        firstName: u.firstName,
        middleName: u.middleName,
        roles: u.roles.map((r) => ({
          role: r.role,
          municipalityId: r.municipality ? municipalities[r.municipality] : null,
          departmentId: r.department ? departments.get(`${r.municipality}/${r.department}`) : null,
        })),
      },
      { system: true },
    );
  }
  return { created: true, municipalities, users };
}
