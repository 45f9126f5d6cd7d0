#!/usr/bin/env node
// Runs node:test over the project's test files. Node 20's --test takes no glob patterns, so we find them here.
// Usage: node scripts/test.mjs [unit|e2e] [extra node --test flags]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [kind = 'unit', ...extra] = process.argv.slice(2);

function find(dir, suffix) {
  const out = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !(kind === 'unit' && rel === path.join('test', 'e2e'))) out.push(...find(rel, suffix));
    } else if (entry.name.endsWith(suffix)) out.push(rel);
  }
  return out;
}

const files = kind === 'e2e' ? find('test/e2e', '.e2e.ts') : [...find('src', '.test.ts'), ...find('test', '.test.ts')];
if (files.length === 0) {
  process.stderr.write(`no ${kind} test files found\n`);
  process.exit(1);
}
const concurrency = kind === 'e2e' ? '1' : (process.env.TEST_CONCURRENCY ?? '2');
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...extra, ...files.sort()],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
