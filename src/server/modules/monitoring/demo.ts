import { writeAudit } from '../../core/audit/audit.ts';
import { systemContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { signWebhookBody } from './connectors/webhook.ts';
import { demoGazetteerEntries } from './gazetteer/index.ts';
import { insertPosts, insertSource } from './monitoring.repository.ts';
import { mdb } from './monitoring-db.ts';
import { MonitoringPipeline } from './pipeline.ts';

/**
 * Demo data for monitoring (issue 6), on top of the demo region (modules/demo): the demo gazetteer's streets and
 * settlements (gazetteer/demo-gazetteer.ts), keyword queries for Кемерово and one for the region, a webhook source
 * «Партнёрский мониторинг (демо)» for Кемерово, and a few posts pushed through the pipeline, so the moderation stream
 * has something to show (matched, placed, a group of copies, one unmatched). Once: a second run changes nothing.
 *
 * The webhook's HMAC key is DEMO_WEBHOOK_SECRET: `signWebhookBody(DEMO_WEBHOOK_SECRET, body)` signs a batch to post
 * to /api/v1/monitoring/webhook/{sourceId}. Demo mode only.
 */
export const DEMO_WEBHOOK_SECRET = 'otklik-demo-webhook-secret';
export const DEMO_SOURCE_NAME = 'Партнёрский мониторинг (демо)';

/** Demo queries: [owner slug or null for the region, name, text, default category name]. */
const DEMO_QUERIES: Array<[string | null, string, string, string | null]> = [
  [
    'kemerovo',
    'Ямы на дорогах',
    '(яма OR выбоина OR ямы) AND (дорога OR улица OR двор OR асфальт OR проспект)',
    'Ямы на дорогах',
  ],
  ['kemerovo', 'Не горят фонари', '(фонарь OR освещение OR "не горит") AND NOT гирлянда', 'Уличное освещение'],
  [
    'kemerovo',
    'Нет воды и отопления',
    '"нет воды" OR "горячей воды" OR (отопление AND (нет OR холодно OR батарея))',
    'ЖКХ: отопление и водоснабжение',
  ],
  [
    'kemerovo',
    'Жалобы на мусор',
    '(мусор OR свалка OR контейнер*) NEAR/5 (вывоз OR вывозят OR переполнен*)',
    'Благоустройство дворов',
  ],
  [null, 'Пожары и задымление (область)', 'пожар OR возгорание OR задымление', null],
];

const DEMO_POSTS: Array<{ text: string; author: string; minutesAgo: number }> = [
  {
    text: 'Огромная яма на улице Весенней возле дома 12, машины объезжают по встречке. Когда отремонтируют дорогу?',
    author: 'ivan_kem',
    minutesAgo: 95,
  },
  {
    text: 'Огромная яма на улице Весенней возле дома 12, машины объезжают её по встречке. Когда уже отремонтируют дорогу?',
    author: 'olga.p',
    minutesAgo: 80,
  },
  {
    text: 'Огромная яма на улице Весенней возле дома 12 — машины объезжают по встречке. Когда отремонтируют дорогу?!',
    author: 'sergey42',
    minutesAgo: 70,
  },
  { text: 'Третий вечер не горит ни один фонарь на проспекте Ленина, идти с работы страшно', author: 'marina_l', minutesAgo: 60 },
  {
    text: 'В Рудничном районе второй день нет воды, ни горячей ни холодной. Управляющая компания молчит',
    author: 'rudnichny_dom',
    minutesAgo: 45,
  },
  {
    text: 'Контейнеры во дворе на бульваре Строителей переполнены, мусор не вывозят неделю',
    author: 'stroiteley_22',
    minutesAgo: 30,
  },
  { text: 'Из Белова пишут: задымление над промзоной, пахнет гарью', author: 'kuzbass_news', minutesAgo: 20 },
  { text: 'Отличный концерт вчера был на набережной, спасибо организаторам!', author: 'music_fan', minutesAgo: 10 },
];

export interface MonitoringDemoResult {
  created: boolean;
  sourceId: number | null;
  queries: number;
  posts: number;
}

/**
 * Seeds the monitoring demo. Call it after modules/demo's seedDemo (it needs the demo municipalities and
 * categories), e.g. in main.ts's demo branch: `await seedMonitoringDemo(database.db, new Date())`.
 */
export async function seedMonitoringDemo(db: Db, now: Date): Promise<MonitoringDemoResult> {
  const municipalities = await db.selectFrom('municipality').select(['id', 'slug']).execute();
  const bySlug = new Map(municipalities.map((m) => [m.slug, m.id]));
  const kem = bySlug.get('kemerovo');
  if (kem === undefined) return { created: false, sourceId: null, queries: 0, posts: 0 };
  const existing = await db
    .selectFrom('monitoring_source')
    .select('id')
    .where('name', '=', DEMO_SOURCE_NAME)
    .where('municipality_id', '=', kem)
    .executeTakeFirst();
  if (existing) return { created: false, sourceId: existing.id, queries: 0, posts: 0 };

  const ctx = systemContext(now);
  const categories = await db.selectFrom('category').select(['id', 'name', 'municipality_id']).execute();
  const categoryOf = (municipalityId: number | null, name: string | null) =>
    name === null || municipalityId === null
      ? null
      : (categories.find((c) => c.municipality_id === municipalityId && c.name === name)?.id ?? null);

  return db.transaction().execute(async (trx) => {
    // The demo gazetteer's entries for the municipalities that exist (municipalities and districts come from their
    // own tables; the duplicates are merged when the gazetteer is built).
    const entries = demoGazetteerEntries((slug) => bySlug.get(slug) ?? -1).filter(
      (e) => typeof e.municipalityId === 'number' && e.municipalityId > 0,
    );
    if (entries.length > 0) {
      await mdb(trx)
        .insertInto('monitoring_gazetteer_entry')
        .values(
          entries.map((e) => ({
            municipality_id: e.municipalityId as number,
            kind: e.kind,
            name: e.name,
            aliases: e.aliases ?? [],
            strict: e.strict ?? false,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['municipality_id', 'kind', 'name']).doNothing())
        .execute();
    }

    let queries = 0;
    for (const [slug, name, text, category] of DEMO_QUERIES) {
      const municipalityId = slug === null ? null : (bySlug.get(slug) ?? null);
      if (slug !== null && municipalityId === null) continue;
      const q = await trx
        .insertInto('monitoring_query')
        .values({
          municipality_id: municipalityId,
          name,
          text,
          default_category_id: categoryOf(municipalityId, category),
          active: true,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeAudit(trx, ctx, {
        action: 'monitoring_query.create',
        entityType: 'monitoring_query',
        entityId: q.id,
        municipalityId,
        after: { name, text, demo: true },
      });
      queries++;
    }

    const source = await insertSource(trx, {
      municipalityId: kem,
      kind: 'webhook',
      name: DEMO_SOURCE_NAME,
      config: {},
      secret: DEMO_WEBHOOK_SECRET,
      replySecret: null,
      active: true,
      pollIntervalS: 300,
      createdBy: null,
      now,
    });
    await writeAudit(trx, ctx, {
      action: 'monitoring_source.create',
      entityType: 'monitoring_source',
      entityId: source.id,
      municipalityId: kem,
      after: { kind: 'webhook', name: DEMO_SOURCE_NAME, demo: true },
    });

    const ids = await insertPosts(
      trx,
      source.id,
      DEMO_POSTS.map((p, i) => ({
        externalId: `demo-${i + 1}`,
        parentExternalId: null,
        url: `https://partner.example/posts/demo-${i + 1}`,
        authorHandle: p.author,
        authorName: null,
        text: p.text,
        publishedAt: new Date(now.getTime() - p.minutesAgo * 60_000),
        raw: { demo: true },
      })),
      now,
    );
    await new MonitoringPipeline().process(trx, { sourceId: source.id, municipalityId: kem, postIds: ids, now });
    return { created: true, sourceId: source.id, queries, posts: ids.length };
  });
}

/** Signs a demo batch for the demo webhook source (for trying the webhook by hand in demo mode). */
export const signDemoBatch = (body: string) => signWebhookBody(DEMO_WEBHOOK_SECRET, body);
