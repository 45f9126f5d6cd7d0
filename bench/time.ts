import {
  addCalendarDaysDeadline,
  calendarDaysDueMs,
  computeDeadlines,
  shippedCalendar,
  timeZone,
  workingDaysDueMs,
} from '../src/server/core/time/index.ts';
import { naiveCalendar, naiveCalendarDays, naiveWorkingDays } from '../src/server/core/time/reference.ts';
import { type BenchOptions, machineLoad, round, table } from './support.ts';

/**
 * Deadline arithmetic of the time core (issue 3) on one core: the fast path (day numbers, precomputed per-day
 * arrays, cached zone offsets) against a naive day-by-day loop over `Date` objects with `Intl` for the zone, on the
 * same random cases (start instants 2020–mid-2027 in Asia/Novokuznetsk, half "n calendar days, previous working day",
 * half "n working days", n = 1…60). The two must give identical instants; the bench fails otherwise.
 */

const ZONE = 'Asia/Novokuznetsk';
const FROM = Date.parse('2020-01-01T00:00:00Z');
const TO = Date.parse('2027-06-30T00:00:00Z');

interface Case {
  startMs: number;
  n: number;
  working: boolean;
}

/** mulberry32: a small seeded PRNG, so every run measures the same cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function makeCases(count: number, seed: number): Case[] {
  const rnd = random(seed);
  return Array.from({ length: count }, (_, i) => ({
    startMs: FROM + Math.floor(rnd() * (TO - FROM)),
    n: 1 + Math.floor(rnd() * 60),
    working: i % 2 === 1,
  }));
}

interface Measure {
  ops: number;
  ms: number;
  perSec: number;
}

/** Runs `fn` over all cases `rounds` times (after one warm-up round) and keeps the median round. */
function measure<T>(cases: T[], rounds: number, fn: (c: T) => number): { best: Measure; checksum: number } {
  let checksum = 0;
  for (const c of cases) checksum += fn(c) % 1_000_003;
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    let sink = 0;
    for (const c of cases) sink += fn(c);
    times.push(performance.now() - t0);
    if (sink === -1) process.stdout.write('');
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  return { best: { ops: cases.length, ms, perSec: cases.length / (ms / 1000) }, checksum };
}

export async function runTime(options: BenchOptions): Promise<void> {
  const scale = options.quick ? 0.1 : 1;
  const fastCount = Math.round(1_000_000 * scale);
  const naiveCount = Math.round(50_000 * scale);
  const rounds = 5;
  const naiveRounds = 3;
  const loadBefore = machineLoad();

  const calendar = shippedCalendar();
  const zone = timeZone(ZONE);
  const nc = naiveCalendar(calendar, ZONE);

  const fastFn = (c: Case) =>
    c.working ? workingDaysDueMs(c.startMs, c.n, calendar, zone) : calendarDaysDueMs(c.startMs, c.n, calendar, zone);
  const naiveFn = (c: Case) =>
    (c.working ? naiveWorkingDays(nc, new Date(c.startMs), c.n) : naiveCalendarDays(nc, new Date(c.startMs), c.n)).getTime();

  // The same answers, case by case, on the naive sample.
  const sample = makeCases(naiveCount, 42);
  for (const c of sample) {
    const a = fastFn(c);
    const b = naiveFn(c);
    if (a !== b)
      throw new Error(
        `fast and naive disagree for ${new Date(c.startMs).toISOString()} n=${c.n} working=${c.working}: ${a} ≠ ${b}`,
      );
  }

  const fast = measure(makeCases(fastCount, 7), rounds, fastFn).best;
  const naive = measure(sample, naiveRounds, naiveFn).best;
  const apiCases = makeCases(Math.round(fastCount / 4), 11).map((c) => ({ ...c, start: new Date(c.startMs) }));
  const api = measure(apiCases, rounds, (c) => addCalendarDaysDeadline(c.start, c.n, { calendar, zone }).dueAt.getTime()).best;
  const appealCases = makeCases(Math.round(fastCount / 40), 13).map((c) => ({ ...c, start: new Date(c.startMs) }));
  const appeals = measure(
    appealCases,
    rounds,
    (c) => computeDeadlines({ regime: 'appeal', start: c.start, zone, calendar }).length,
  ).best;

  const ratio = fast.perSec / naive.perSec;
  const row = (name: string, m: Measure, unit = 1) => [
    name,
    m.ops,
    round(m.ms, 1),
    Math.round(m.perSec * unit).toLocaleString('en-US'),
    round((m.ms * 1e6) / (m.ops * unit), 0),
  ];
  process.stdout.write(
    `\nDeadline arithmetic, one core, ${ZONE}, median round of ${rounds} (naive: ${naiveRounds})${options.quick ? ' (--quick: a tenth of the scale)' : ''}\n\n`,
  );
  process.stdout.write(
    `${table([
      ['variant', 'ops/round', 'ms', 'deadlines/s', 'ns/deadline'],
      row('fast: day numbers + arrays (epoch ms in/out)', fast),
      row('naive: day-by-day Date loop + Intl', naive),
      row('API: addCalendarDaysDeadline (Date, ISO text)', api),
      row('computeDeadlines(appeal): 7 deadlines/case', appeals, 7),
    ])}\n`,
  );
  process.stdout.write(`\nfast/naive: ${round(ratio, 1)}×; fast and naive gave identical instants on ${sample.length} cases\n`);
  const loadAfter = machineLoad();
  const busy = loadBefore.warning ?? loadAfter.warning;
  process.stdout.write(busy ? `note: ${busy}\n\n` : '\n');
  process.stdout.write(
    `${JSON.stringify({
      bench: 'time',
      quick: options.quick,
      deadlinesPerSec: Math.round(fast.perSec),
      naiveDeadlinesPerSec: Math.round(naive.perSec),
      ratio: round(ratio, 1),
      apiDeadlinesPerSec: Math.round(api.perSec),
      appealDeadlinesPerSec: Math.round(appeals.perSec * 7),
      agreeOnCases: sample.length,
      loadAvg1: [loadBefore.load1, loadAfter.load1],
    })}\n`,
  );
}
