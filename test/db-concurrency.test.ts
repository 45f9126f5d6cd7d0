import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DatabaseHandle } from '../src/server/core/db/index.ts';
import { createTestDatabase } from './support/test-db.ts';

/**
 * PGlite has one connection. A Kysely driver that hands it to two transactions at once interleaves their
 * statements, and read-modify-write loses updates (kysely-pglite does). Our PGliteDialect serialises
 * transactions with a mutex; this is the test that proves it, and that the same code is correct on a server.
 */

const N = 50;
const FAILING = 17;

class Boom extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: a table of this test's own, outside the app schema
type AnyDb = Kysely<any>;

async function readCounter(db: AnyDb | Transaction<unknown>, lock: '' | 'for update' = ''): Promise<number> {
  const res = await sql<{ n: number }>`select n from concurrency_counter where id = 1 ${sql.raw(lock)}`.execute(db);
  return res.rows[0]!.n;
}

async function writeCounter(db: AnyDb | Transaction<unknown>, n: number): Promise<void> {
  await sql`update concurrency_counter set n = ${n} where id = 1`.execute(db);
}

/** Runs N transactions at once; transaction FAILING writes, then throws. Returns the outcomes in order. */
async function hammer(db: AnyDb, body: (trx: Transaction<unknown>, i: number) => Promise<void>, isolation?: 'serializable') {
  return Promise.allSettled(
    Array.from({ length: N }, async (_, i) => {
      let builder = db.transaction();
      if (isolation) builder = builder.setIsolationLevel(isolation);
      return builder.execute(async (trx) => {
        await body(trx, i);
        if (i === FAILING) throw new Boom(`transaction ${i} fails after its write`);
      });
    }),
  );
}

function assertOneRolledBack(outcomes: PromiseSettledResult<unknown>[]) {
  const rejected = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [[i, o.reason] as const] : []));
  assert.equal(rejected.length, 1, `exactly one transaction failed: ${rejected.map(([i, e]) => `${i}: ${e}`).join('; ')}`);
  assert.equal(rejected[0]![0], FAILING);
  assert.ok(rejected[0]![1] instanceof Boom);
}

const kind = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

describe(`concurrent transactions on one Kysely (${kind})`, () => {
  let handle: DatabaseHandle;
  let db: AnyDb;

  before(async () => {
    handle = await createTestDatabase();
    db = handle.db as AnyDb;
    await sql`create table concurrency_counter (id integer primary key, n integer not null)`.execute(db);
    await sql`insert into concurrency_counter (id, n) values (1, 0)`.execute(db);
  });
  after(() => handle.close());

  async function reset() {
    await writeCounter(db, 0);
  }

  test(`${N} concurrent read-modify-write transactions (plain select), one of which throws, leave exactly ${N - 1} increments`, {
    skip:
      kind === 'PostgreSQL'
        ? 'a plain read-then-write loses updates on a server under READ COMMITTED by design; the FOR UPDATE and serializable cases below are the server variant'
        : false,
  }, async () => {
    await reset();
    const outcomes = await hammer(db, async (trx) => {
      const n = await readCounter(trx);
      await tick(); // give every other transaction the chance to run in between
      await writeCounter(trx, n + 1);
    });
    assertOneRolledBack(outcomes);
    assert.equal(await readCounter(db), N - 1);
  });

  test(`${N} concurrent read-modify-write transactions with SELECT … FOR UPDATE, one of which throws, leave exactly ${N - 1} increments`, async () => {
    await reset();
    const outcomes = await hammer(db, async (trx) => {
      const n = await readCounter(trx, 'for update');
      await tick();
      await writeCounter(trx, n + 1);
    });
    assertOneRolledBack(outcomes);
    assert.equal(await readCounter(db), N - 1);
  });

  test(`${N} concurrent serializable read-modify-write transactions with retry, one of which throws, leave exactly ${N - 1} increments`, async () => {
    await reset();
    let retries = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: N }, async (_, i) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await db
              .transaction()
              .setIsolationLevel('serializable')
              .execute(async (trx) => {
                const n = await readCounter(trx);
                await tick();
                await writeCounter(trx, n + 1);
                if (i === FAILING) throw new Boom(`transaction ${i} fails after its write`);
              });
          } catch (error) {
            // 40001: could not serialize access; the server asks us to run the transaction again.
            if ((error as { code?: string }).code === '40001' && attempt < 200) {
              retries++;
              continue;
            }
            throw error;
          }
        }
      }),
    );
    assertOneRolledBack(outcomes);
    assert.equal(await readCounter(db), N - 1);
    if (handle.kind === 'pglite') assert.equal(retries, 0, 'PGlite runs one transaction at a time: nothing to retry');
  });

  test('reads outside the transactions never see a transaction’s uncommitted writes', async () => {
    await reset();
    const seen: number[] = [];
    let running = true;
    const reader = (async () => {
      while (running) {
        seen.push(await readCounter(db));
        await tick();
      }
    })();
    const outcomes = await hammer(db, async (trx) => {
      const n = await readCounter(trx, 'for update');
      await writeCounter(trx, n + 1000); // a value no committed state ever has
      await tick();
      await writeCounter(trx, n + 1);
    });
    running = false;
    await reader;
    assertOneRolledBack(outcomes);
    assert.ok(seen.length > 0);
    assert.ok(
      seen.every((n) => n < N),
      `a reader saw an uncommitted value: ${seen.filter((n) => n >= N).join(', ')}`,
    );
    assert.equal(await readCounter(db), N - 1);
  });

  test('a transaction that fails leaves the connection usable: the next query and transaction run', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`select 1/0`.execute(trx);
      }),
      /division by zero/,
    );
    await db.transaction().execute(async (trx) => writeCounter(trx, 7));
    assert.equal(await readCounter(db), 7);
  });
});
