import * as assert from 'node:assert/strict';
import { ByteGate, JobPool } from '../../../src/core/integrity/pool';

/** A promise and the function that settles it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('JobPool and ByteGate (the validation pipeline)', () => {
  it('runs at most `concurrency` jobs, and a job that gives its slot back lets the next start while it goes on', async () => {
    const pool = new JobPool(2);
    const started: string[] = [];
    const hold = { a: latch(), b: latch(), c: latch() };
    let releaseA!: () => void;
    const a = pool.add(async (release) => {
      started.push('a');
      releaseA = release;
      await hold.a.promise;
    });
    const b = pool.add(async () => {
      started.push('b');
      await hold.b.promise;
    });
    const c = pool.add(async () => {
      started.push('c');
      await hold.c.promise;
    });
    await tick();
    assert.deepEqual(started, ['a', 'b'], 'two slots: c waits');
    releaseA(); // a's download is done, its hash still runs
    releaseA(); // giving the slot back twice frees one slot, not two
    await tick();
    assert.deepEqual(started, ['a', 'b', 'c']);
    const d = pool.add(async () => {
      started.push('d');
    });
    await tick();
    assert.deepEqual(started, ['a', 'b', 'c'], 'b and c hold both slots; a no longer counts');
    hold.b.open();
    await b;
    await d;
    assert.deepEqual(started, ['a', 'b', 'c', 'd']);
    hold.a.open();
    hold.c.open();
    await Promise.all([a, c]);
  });

  it('ByteGate holds back what would pass its bound, lets one body larger than the bound through alone, and gives up on abort', async () => {
    const gate = new ByteGate(100);
    await gate.acquire(60);
    let second = false;
    const p = gate.acquire(60).then(() => (second = true));
    await tick();
    assert.equal(second, false, '60 + 60 > 100: waits');
    gate.release(60);
    await p;
    assert.equal(second, true);
    gate.release(60);
    await gate.acquire(500); // nothing held: a lone large body goes through
    const controller = new AbortController();
    const waiting = gate.acquire(10, controller.signal);
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    gate.release(500);
    await gate.acquire(100); // the aborted waiter took nothing
  });
});
