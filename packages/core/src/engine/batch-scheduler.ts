export type BatchPriority = 'high' | 'normal' | 'low';

const RANK: Record<BatchPriority, number> = { high: 0, normal: 1, low: 2 };

interface Job {
  readonly rank: number;
  readonly seq: number;
  readonly run: () => Promise<void>;
}

/**
 * Runs batch jobs with a global concurrency limit, highest priority first
 * (FIFO within a priority), so a high-priority batch overtakes the queued
 * items of a low-priority one. A per-batch limit is applied by the caller.
 */
export class BatchScheduler {
  private readonly queue: Job[] = [];
  private running = 0;
  private seq = 0;

  constructor(private readonly concurrency: number) {}

  schedule(priority: BatchPriority, run: () => Promise<void>): void {
    const job = { rank: RANK[priority], seq: this.seq++, run };
    // Insert in order: rank, then arrival. Queues are short; a linear scan from the end is enough.
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.rank > job.rank) i--;
    this.queue.splice(i, 0, job);
    this.pump();
  }

  get pending(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void job.run().finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}
