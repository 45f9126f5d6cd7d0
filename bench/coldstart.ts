import { spawn } from 'node:child_process';
import { answers, type BenchOptions, CLI, freePort, machineLoad, ROOT, round, serverEnv, table, tempDir } from './support.ts';

/**
 * How long `otklik serve --demo` takes from spawn to its first answers: cold (a new data dir: PGlite initdb,
 * migrations, demo seed with password hashing) and warm (the same data dir again: open, nothing to migrate or
 * seed). Times are to the first 200 on /api/health and on /api/v1/municipalities, polled every 5 ms.
 */

const RUNS = 3;
const POLL_MS = 5;

interface Start {
  healthMs: number;
  municipalitiesMs: number;
}

async function timeStart(dataDir: string): Promise<Start> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--demo'], {
    cwd: ROOT,
    env: serverEnv({ PORT: String(port), OTKLIK_DATA_DIR: dataDir }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const until = async (path: string): Promise<number> => {
    const deadline = started + 120_000;
    while (performance.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${stderr.trim()}`);
      if (await answers(`${base}${path}`)) return performance.now() - started;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new Error(`no 200 on ${path} within 120 s`);
  };
  try {
    const healthMs = await until('/api/health');
    const municipalitiesMs = await until('/api/v1/municipalities');
    return { healthMs: round(healthMs, 0), municipalitiesMs: round(municipalitiesMs, 0) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Node with the tsx loader and nothing else: the part of every start that is not Otklik's. */
async function timeNodeTsx(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', '0'], { cwd: ROOT, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  return round(performance.now() - started, 0);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

export async function runColdstart(options: BenchOptions): Promise<void> {
  const runs = options.quick ? 1 : RUNS;
  const loadBefore = machineLoad();
  const cold: Start[] = [];
  const warm: Start[] = [];
  const node: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(await timeNodeTsx());
    const data = tempDir('otklik-coldstart-');
    try {
      cold.push(await timeStart(data.dir));
      warm.push(await timeStart(data.dir));
    } finally {
      data.remove();
    }
  }
  const row = (name: string, xs: Start[]) => [
    name,
    xs.map((x) => x.healthMs).join(' / '),
    median(xs.map((x) => x.healthMs)),
    xs.map((x) => x.municipalitiesMs).join(' / '),
    median(xs.map((x) => x.municipalitiesMs)),
  ];
  process.stdout.write(
    `\nCold start of \`otklik serve --demo\` (embedded PGlite), ${runs} run(s), ms from spawn${options.quick ? ' (--quick)' : ''}\n\n`,
  );
  process.stdout.write(
    `${table([
      ['start', '/api/health runs', 'median', '/api/v1/municipalities runs', 'median'],
      row('cold (new data dir)', cold),
      row('warm (same data dir)', warm),
      ['node --import tsx -e 0', node.join(' / '), median(node), '', ''],
    ])}\n`,
  );
  const loadAfter = machineLoad();
  const busy = loadBefore.warning ?? loadAfter.warning;
  process.stdout.write(busy ? `note: ${busy}\n\n` : '\n');
  process.stdout.write(
    `${JSON.stringify({
      bench: 'coldstart',
      quick: options.quick,
      runs,
      coldHealthMs: median(cold.map((x) => x.healthMs)),
      coldMunicipalitiesMs: median(cold.map((x) => x.municipalitiesMs)),
      warmHealthMs: median(warm.map((x) => x.healthMs)),
      warmMunicipalitiesMs: median(warm.map((x) => x.municipalitiesMs)),
      nodeTsxMs: median(node),
      loadAvg1: [loadBefore.load1, loadAfter.load1],
    })}\n`,
  );
}
