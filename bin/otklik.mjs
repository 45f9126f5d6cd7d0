#!/usr/bin/env node
// `npx otklik …` from the checkout: loads the TypeScript CLI through tsx in this same process, so signals
// reach the server directly and the data-dir lock names this process's pid.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/server/cli.ts');
await main(process.argv.slice(2));
