/**
 * One Otklik app node for the monitoring end-to-end test (test/monitoring-e2e.test.ts): the whole app (buildApp, its
 * job runner with the monitoring poll, the pipeline, the API) on the PostgreSQL database at MONITORING_NODE_DB_URL,
 * listening on 127.0.0.1 at a free port. Prints `listening <port>` once ready.
 *
 *   MONITORING_NODE_DB_URL=postgres://… node --import tsx test/support/monitoring-node.ts
 *
 * Options (env):
 *   MONITORING_NODE_CLOCK_OFFSET_MS  the node's clock runs ahead of the system clock by this much (default 0): a node
 *                                    started "later" sees the leases of a killed node expired.
 *   MONITORING_NODE_HANG=1           adds a last onPostsStored hook that prints `in-transaction <post ids>` and never
 *                                    returns: the storing transaction stays open (posts inserted, pipeline done,
 *                                    nothing committed) until the test kills the process there.
 */

import { buildApp } from '../../src/server/app.ts';
import type { Clock } from '../../src/server/core/clock.ts';
import { openDatabase } from '../../src/server/core/db/index.ts';
import { testConfig } from './test-app.ts';

const env = process.env;
const url = env.MONITORING_NODE_DB_URL;
if (!url) {
  process.stderr.write('monitoring-node: set MONITORING_NODE_DB_URL to a PostgreSQL database URL\n');
  process.exit(2);
}
const offset = Number(env.MONITORING_NODE_CLOCK_OFFSET_MS ?? 0);
const clock: Clock = { now: () => new Date(Date.now() + offset) };

const database = await openDatabase({ databaseUrl: url, poolSize: 6 });
const app = await buildApp({ config: testConfig({ databaseUrl: url }), database, clock, ownsDatabase: true });
await app.ready();
if (env.MONITORING_NODE_HANG === '1') {
  app.monitoring.onPostsStored(async (_trx, e) => {
    process.stdout.write(`in-transaction ${JSON.stringify(e.postIds)}\n`);
    await new Promise(() => {});
  });
}
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void app.close().then(() => process.exit(0));
});
