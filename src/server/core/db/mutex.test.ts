import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mutex } from './mutex.ts';

test('the mutex admits one holder at a time, in arrival order', async () => {
  const mutex = new Mutex();
  const order: string[] = [];
  let inside = 0;
  let maxInside = 0;
  await Promise.all(
    ['a', 'b', 'c', 'd'].map(async (name) => {
      await mutex.lock();
      inside++;
      maxInside = Math.max(maxInside, inside);
      order.push(name);
      await new Promise((r) => setTimeout(r, 5));
      inside--;
      mutex.unlock();
    }),
  );
  assert.equal(maxInside, 1);
  assert.deepEqual(order, ['a', 'b', 'c', 'd']);
});
