import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase } from '../../../../test/support/test-db.ts';
import type { DatabaseHandle, Db } from '../../core/db/index.ts';
import { seedDemo } from '../demo/index.ts';
import { DEMO_SOURCE_NAME, seedMonitoringDemo } from './demo.ts';
import { demoGazetteerEntries } from './gazetteer/index.ts';
import { insertPosts, insertSource } from './monitoring.repository.ts';
import { mdb } from './monitoring-db.ts';
import { MonitoringPipeline } from './pipeline.ts';
import { insertQuery, updateQuery } from './queries.repository.ts';

// The pipeline (issue 6, items 3–5) on a real database, as the poller calls it (inside the storing transaction):
// matching with highlights, the municipality's precedence (place, source, query, regional), the category guess,
// near-duplicate groups (counted on the head, hidden), restart from stored signatures, a rolled-back batch leaving
// nothing behind, and the matcher and gazetteer following changes of queries and entries.

const NOW = new Date('2026-03-02T03:00:00Z');

describe('the monitoring pipeline', () => {
  let database: DatabaseHandle;
  let db: Db;
  let kem: number;
  let bel: number;
  let kemPotholes: number;
  let belLights: number;
  let kemSource: number;
  let regionalSource: number;
  let zavodsky: number;
  let pipeline: MonitoringPipeline;
  const queries: Record<string, number> = {};
  let seq = 0;
  let now = NOW;

  before(async () => {
    database = await createTestDatabase();
    db = database.db;
    const demo = await seedDemo(db, NOW);
    kem = demo.municipalities.kemerovo!;
    bel = demo.municipalities.belovo!;
    const category = async (m: number, name: string) =>
      (
        await db
          .selectFrom('category')
          .select('id')
          .where('municipality_id', '=', m)
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).id;
    kemPotholes = await category(kem, 'Ямы на дорогах');
    belLights = await category(bel, 'Уличное освещение');
    zavodsky = (
      await db
        .selectFrom('place')
        .select('id')
        .where('municipality_id', '=', kem)
        .where('name', '=', 'Заводский район')
        .executeTakeFirstOrThrow()
    ).id;
    // The demo gazetteer's streets and settlements, as an import would store them.
    const slugs = new Map(Object.entries(demo.municipalities));
    await mdb(db)
      .insertInto('monitoring_gazetteer_entry')
      .values(
        demoGazetteerEntries((s) => slugs.get(s) ?? -1)
          .filter((e) => e.kind === 'street' || e.kind === 'settlement')
          .map((e) => ({
            municipality_id: e.municipalityId as number,
            kind: e.kind,
            name: e.name,
            aliases: e.aliases ?? [],
            strict: e.strict ?? false,
            created_at: NOW,
          })),
      )
      .execute();
    const q = async (key: string, municipalityId: number | null, text: string, categoryId: number | null) => {
      queries[key] = (
        await insertQuery(db, {
          municipalityId,
          name: key,
          text,
          defaultCategoryId: categoryId,
          active: true,
          createdBy: null,
          now: NOW,
        })
      ).id;
    };
    await q('kemPotholes', kem, 'яма OR ямы', kemPotholes);
    await q('belLights', bel, 'фонарь', belLights);
    await q('kemLights', kem, 'фонарь', null);
    await q('regionalFires', null, 'пожар', null);
    const source = async (municipalityId: number | null) =>
      (
        await insertSource(db, {
          municipalityId,
          kind: 'rss',
          name: `источник ${municipalityId ?? 'региона'}`,
          config: { url: 'http://127.0.0.1:9/feed' },
          secret: null,
          replySecret: null,
          active: false,
          pollIntervalS: 300,
          createdBy: null,
          now: NOW,
        })
      ).id;
    kemSource = await source(kem);
    regionalSource = await source(null);
    pipeline = new MonitoringPipeline();
  });
  after(() => database.close());

  /** Stores posts as the poller does: insert, then the pipeline, in one transaction. */
  async function store(sourceId: number, texts: string[], p = pipeline): Promise<number[]> {
    now = new Date(now.getTime() + 60_000);
    const municipalityId = sourceId === kemSource ? kem : null;
    return db.transaction().execute(async (trx) => {
      const ids = await insertPosts(
        trx,
        sourceId,
        texts.map((text, i) => ({
          externalId: `p${++seq}`,
          parentExternalId: null,
          url: null,
          authorHandle: `author${seq}`,
          authorName: null,
          text,
          publishedAt: new Date(now.getTime() - (texts.length - i) * 1000),
          raw: null,
        })),
        now,
      );
      await p.process(trx, { sourceId, municipalityId, postIds: ids, now });
      return ids;
    });
  }
  const row = (id: number) => mdb(db).selectFrom('monitoring_post').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  type Expect = {
    status: 'matched' | 'unmatched';
    municipality: 'kem' | 'bel' | null;
    place: string | null;
    category: 'kemPotholes' | 'belLights' | null;
    queries: string[];
  };
  const cases: Array<[string, 'kem' | 'regional', string, Expect]> = [
    [
      'a street in the text places the post (and the query’s category of that municipality is the guess)',
      'kem',
      'Яма на улице Весенней, у дома 12',
      {
        status: 'matched',
        municipality: 'kem',
        place: 'street:улица Весенняя',
        category: 'kemPotholes',
        queries: ['kemPotholes'],
      },
    ],
    [
      'the place beats the source: a Кемерово source’s post about Белово goes to Белово; no guess from Кемерово’s category',
      'kem',
      'Огромная яма на дороге в Белове',
      { status: 'matched', municipality: 'bel', place: 'municipality:Белово', category: null, queries: ['kemPotholes'] },
    ],
    [
      'no place: the source’s municipality',
      'kem',
      'Огромная яма во дворе, не пройти',
      { status: 'matched', municipality: 'kem', place: null, category: 'kemPotholes', queries: ['kemPotholes'] },
    ],
    [
      'no place, a regional source: the matched query’s municipality',
      'regional',
      'Огромные ямы во дворе, не пройти никак',
      { status: 'matched', municipality: 'kem', place: null, category: 'kemPotholes', queries: ['kemPotholes'] },
    ],
    [
      'no place, queries of two municipalities: the regional queue',
      'regional',
      'Не горит фонарь во дворе уже неделю',
      { status: 'matched', municipality: null, place: null, category: null, queries: ['belLights', 'kemLights'] },
    ],
    [
      'a regional query alone decides nothing: the regional queue',
      'regional',
      'Сильный пожар в лесу за городом',
      { status: 'matched', municipality: null, place: null, category: null, queries: ['regionalFires'] },
    ],
    [
      'no query matches: unmatched, the regional queue',
      'regional',
      'Вчера был отличный концерт на набережной',
      { status: 'unmatched', municipality: null, place: null, category: null, queries: [] },
    ],
    [
      'a district of the places module: its place id is kept',
      'regional',
      'Яма посреди дороги в Заводском районе',
      {
        status: 'matched',
        municipality: 'kem',
        place: 'district:Заводский район',
        category: 'kemPotholes',
        queries: ['kemPotholes'],
      },
    ],
    [
      'a street two cities have (улица Ленина: Белово, Мариинск) is ambiguous: no place, so the query decides',
      'regional',
      'Яма на улице Ленина возле остановки',
      { status: 'matched', municipality: 'kem', place: null, category: 'kemPotholes', queries: ['kemPotholes'] },
    ],
  ];
  for (const [name, src, text, expected] of cases) {
    test(name, async () => {
      const [id] = await store(src === 'kem' ? kemSource : regionalSource, [text]);
      const p = await row(id!);
      const ids = { kem, bel } as Record<string, number>;
      const categories = { kemPotholes, belLights } as Record<string, number>;
      assert.equal(p.status, expected.status);
      assert.equal(p.municipality_id, expected.municipality === null ? null : ids[expected.municipality]);
      assert.equal(p.place ? `${p.place.kind}:${p.place.name}` : null, expected.place);
      assert.equal(p.category_id, expected.category === null ? null : categories[expected.category]);
      assert.deepEqual(
        p.matched_query_ids,
        expected.queries.map((k) => queries[k]).sort((a, b) => a! - b!),
      );
      if (expected.place?.startsWith('district:')) assert.equal(p.place_id, zavodsky);
      else assert.equal(p.place_id, null);
      if (p.place) assert.equal(text.slice(p.place.from, p.place.to), p.place.text);
      // Every matched query's terms are highlighted in the text.
      for (const m of p.match_hits ?? []) for (const h of m.hits) assert.ok(h.to > h.from && text.slice(h.from, h.to).length > 0);
      assert.equal(p.match_hits?.length ?? 0, expected.queries.length);
      assert.ok(p.signature, 'the grouping signature is stored');
      assert.equal(p.duplicate_of, null);
    });
  }

  test('the highlights are the words as written, in every form', async () => {
    const [id] = await store(kemSource, ['Ямы на Весенней! Одна яма, вторая яма']);
    const p = await row(id!);
    const text = p.text;
    assert.deepEqual(
      p.match_hits?.[0]?.hits.map((h) => text.slice(h.from, h.to)),
      ['Ямы', 'яма', 'яма'],
    );
  });

  const storm = 'Во дворе дома на Весенней 12 грузовики разбили всю дорогу, пройти невозможно ни детям ни пожилым';
  let head: number;

  test('copies collapse into the first post’s group: counted on the head, pointing at it; a matching copy shows the group', async () => {
    // The first post matches nothing; its copies say «яма».
    const ids = await store(kemSource, [
      storm,
      `${storm}, яма на яме`,
      `Во дворе дома на Весенней 12 грузовики разбили всю дорогу, яма, пройти невозможно ни детям ни пожилым`,
    ]);
    head = ids[0]!;
    const [h, a, b] = await Promise.all(ids.map(row));
    assert.equal(a!.duplicate_of, head);
    assert.equal(b!.duplicate_of, head);
    assert.equal(h!.duplicate_of, null);
    assert.equal(h!.dup_count, 2);
    assert.equal(h!.status, 'matched', 'a head no query matched takes its duplicates’ queries');
    assert.deepEqual(h!.matched_query_ids, [queries.kemPotholes]);
    assert.equal(a!.status, 'matched');
    // A later copy in another batch joins the same group.
    const [c] = await store(regionalSource, [`${storm}!!!`]);
    assert.equal((await row(c!)).duplicate_of, head);
    assert.equal((await row(head)).dup_count, 3);
  });

  test('after a restart the index is rebuilt from the stored signatures: a copy still joins its group', async () => {
    const fresh = new MonitoringPipeline();
    const [c] = await store(kemSource, [`Срочно! ${storm}`], fresh);
    assert.equal((await row(c!)).duplicate_of, head);
    assert.equal((await row(head)).dup_count, 4);
    // And the old instance learns of the post stored by the new one (another node) at its next batch.
    const [d] = await store(kemSource, [`Срочно!! ${storm}`]);
    assert.equal((await row(d!)).duplicate_of, head);
  });

  test('a rolled-back batch leaves nothing behind: a copy of its post later heads its own group', async () => {
    const lost = 'Вода хлещет из трубы прямо на тротуар возле остановки Шахтёров уже третий час подряд';
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        const ids = await insertPosts(
          trx,
          kemSource,
          [
            {
              externalId: 'lost',
              parentExternalId: null,
              url: null,
              authorHandle: null,
              authorName: null,
              text: lost,
              publishedAt: now,
              raw: null,
            },
          ],
          now,
        );
        await pipeline.process(trx, { sourceId: kemSource, municipalityId: kem, postIds: ids, now });
        throw new Error('the node died before the commit');
      }),
      /died/,
    );
    const [again] = await store(kemSource, [`${lost}!`]);
    const p = await row(again!);
    assert.equal(p.duplicate_of, null);
    const [copy] = await store(kemSource, [`${lost}!!`]);
    assert.equal((await row(copy!)).duplicate_of, again);
  });

  test('the matcher follows the queries: an edit applies to the next batch, a deactivated query no longer matches', async () => {
    const [before1] = await store(kemSource, ['Опять прорвало трубу в подвале']);
    assert.equal((await row(before1!)).status, 'unmatched');
    await updateQuery(db, queries.kemPotholes!, { text: 'яма OR ямы OR трубу OR труба', now: new Date(NOW.getTime() + 1000) });
    const [after1] = await store(kemSource, ['Опять прорвало трубу в подвале дома']);
    assert.deepEqual((await row(after1!)).matched_query_ids, [queries.kemPotholes]);
    await updateQuery(db, queries.kemPotholes!, { active: false, now: new Date(NOW.getTime() + 2000) });
    const [after2] = await store(kemSource, ['Третий раз прорвало трубу в подвале']);
    assert.equal((await row(after2!)).status, 'unmatched');
    await updateQuery(db, queries.kemPotholes!, { active: true, text: 'яма OR ямы', now: new Date(NOW.getTime() + 3000) });
  });

  test('the gazetteer follows its entries: a street added by import places the next post', async () => {
    const text = 'Яма на улице Шевцовой возле магазина';
    const [x] = await store(regionalSource, [text]);
    assert.equal((await row(x!)).place, null);
    await mdb(db)
      .insertInto('monitoring_gazetteer_entry')
      .values({ municipality_id: bel, kind: 'street', name: 'улица Шевцовой', aliases: [], strict: false, created_at: NOW })
      .execute();
    const [y] = await store(regionalSource, [`${text}, второй раз`]);
    const p = await row(y!);
    assert.equal(p.place?.name, 'улица Шевцовой');
    assert.equal(p.municipality_id, bel);
  });
});

describe('seedMonitoringDemo', () => {
  test('queries, a webhook source, the gazetteer and posts through the pipeline; a second run changes nothing', async () => {
    const database = await createTestDatabase();
    try {
      const db = database.db;
      const demo = await seedDemo(db, NOW);
      const first = await seedMonitoringDemo(db, NOW);
      assert.equal(first.created, true);
      assert.equal(first.queries, 5);
      assert.equal(first.posts, 8);
      const again = await seedMonitoringDemo(db, NOW);
      assert.deepEqual(again, { created: false, sourceId: first.sourceId, queries: 0, posts: 0 });
      const source = await db
        .selectFrom('monitoring_source')
        .selectAll()
        .where('id', '=', first.sourceId!)
        .executeTakeFirstOrThrow();
      assert.equal(source.name, DEMO_SOURCE_NAME);
      assert.equal(source.kind, 'webhook');
      assert.equal(source.municipality_id, demo.municipalities.kemerovo);
      const posts = await mdb(db).selectFrom('monitoring_post').selectAll().orderBy('id').execute();
      const heads = posts.filter((p) => p.duplicate_of === null);
      assert.equal(heads[0]?.dup_count, 2, 'the three reports of the pothole on Весенняя are one group');
      assert.equal(heads[0]?.place?.name, 'улица Весенняя');
      assert.deepEqual(
        posts.map((p) => p.status),
        ['matched', 'matched', 'matched', 'matched', 'matched', 'matched', 'matched', 'unmatched'],
      );
      const smoke = posts[6]!;
      assert.equal(smoke.municipality_id, demo.municipalities.belovo, 'placed by «Из Белова»');
      const water = posts[4]!;
      assert.equal(water.place?.name, 'Рудничный район');
      assert.ok((await db.selectFrom('monitoring_query').select('id').execute()).length === 5);
    } finally {
      await database.close();
    }
  });
});
