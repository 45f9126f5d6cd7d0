import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { CategoryAttributeTable, CategoryTable } from '../../core/db/schema.ts';
import type { AttributeDef } from './attributes.ts';

const toDef = (r: Selectable<CategoryAttributeTable>): AttributeDef => ({
  code: r.code,
  datatype: r.datatype,
  required: r.required,
  variable: r.variable,
  description: r.description,
  datatypeDescription: r.datatype_description,
  order: r.order,
  values: (r.values ?? []) as AttributeDef['values'],
});

/** A category's questions in their order. */
export async function listAttributes(db: Db, categoryId: number): Promise<AttributeDef[]> {
  const rows = await db
    .selectFrom('category_attribute')
    .selectAll()
    .where('category_id', '=', categoryId)
    .orderBy('order')
    .execute();
  return rows.map(toDef);
}

/** The questions of several categories, by category id. */
export async function listAttributesOf(db: Db, categoryIds: readonly number[]): Promise<Map<number, AttributeDef[]>> {
  const out = new Map<number, AttributeDef[]>(categoryIds.map((id) => [id, []]));
  if (categoryIds.length === 0) return out;
  const rows = await db
    .selectFrom('category_attribute')
    .selectAll()
    .where('category_id', 'in', [...categoryIds])
    .orderBy('category_id')
    .orderBy('order')
    .execute();
  for (const r of rows) out.get(r.category_id)?.push(toDef(r));
  return out;
}

/** Replaces a category's questions (inside the caller's transaction). */
export async function replaceAttributes(trx: Db, categoryId: number, defs: readonly AttributeDef[]): Promise<void> {
  await trx.deleteFrom('category_attribute').where('category_id', '=', categoryId).execute();
  if (defs.length === 0) return;
  await trx
    .insertInto('category_attribute')
    .values(
      defs.map((d) => ({
        category_id: categoryId,
        code: d.code,
        datatype: d.datatype,
        required: d.required,
        variable: d.variable,
        description: d.description,
        datatype_description: d.datatypeDescription,
        order: d.order,
        values: JSON.stringify(d.values),
      })),
    )
    .execute();
}

export interface ServiceFields {
  serviceCode?: string | null;
  description?: string | null;
  keywords?: string | null;
  group?: string | null;
}

export function updateServiceFields(trx: Db, categoryId: number, f: ServiceFields, now: Date) {
  return trx
    .updateTable('category')
    .set({
      ...(f.serviceCode !== undefined && { service_code: f.serviceCode }),
      ...(f.description !== undefined && { description: f.description }),
      ...(f.keywords !== undefined && { keywords: f.keywords }),
      ...(f.group !== undefined && { service_group: f.group }),
      updated_at: now,
    })
    .where('id', '=', categoryId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The Open311 service code of a category: its own, else its id. */
export const serviceCodeOf = (c: Pick<Selectable<CategoryTable>, 'id' | 'service_code'>) => c.service_code ?? String(c.id);

/** The category with this service code in the municipality (its own code, or its id when it has none). */
export function findCategoryByServiceCode(db: Db, municipalityId: number, code: string) {
  return db
    .selectFrom('category')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where((eb) =>
      /^\d{1,9}$/.test(code)
        ? eb.or([eb('service_code', '=', code), eb.and([eb('service_code', 'is', null), eb('id', '=', Number(code))])])
        : eb('service_code', '=', code),
    )
    .executeTakeFirst();
}
