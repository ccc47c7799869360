import { describe, expect, it } from 'vitest';
import { BatchScheduler } from './batch-scheduler.js';

describe('BatchScheduler', () => {
  it('runs at most `concurrency` jobs, higher priority first, FIFO within a priority', async () => {
    const scheduler = new BatchScheduler(1);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    scheduler.schedule('normal', async () => {
      order.push('first');
      await gate;
    });
    for (const [p, name] of [
      ['low', 'low-1'],
      ['normal', 'normal-1'],
      ['high', 'high-1'],
      ['low', 'low-2'],
      ['high', 'high-2'],
    ] as const) {
      scheduler.schedule(p, async () => {
        order.push(name);
      });
    }
    expect(scheduler.pending).toBe(5);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['first', 'high-1', 'high-2', 'normal-1', 'low-1', 'low-2']);
  });
});
