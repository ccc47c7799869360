import type { Redis } from 'ioredis';
import { whenRedisReady, withRedisTimeout } from './with-redis-timeout.js';

export interface RedisBatchSignalOptions {
  /** The instance's client; listening opens one more connection (a subscriber can do nothing else). */
  readonly client: Redis;
  /** Pub/sub channel every instance of a deployment shares. Default `orch:batches`. */
  readonly channel?: string;
  /** Budget of one publish. Default 200 ms. */
  readonly timeoutMs?: number;
  /** Told about subscriber faults (never thrown at the process). */
  readonly onError?: (error: unknown) => void;
}

const BATCH_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Wakes every instance when a batch has work: `notify(id)` publishes the
 * batch id, and each instance's `listen()` handler starts working on it.
 * Best effort on purpose — the batch's items and claims live in the
 * database, so a wake-up lost to a Redis fault (or sent while an instance
 * was reconnecting) only delays that instance until its next poll of
 * unfinished batches; nothing is lost and nothing runs twice because of it.
 */
export class RedisBatchSignal {
  readonly channel: string;
  readonly #client: Redis;
  readonly #timeoutMs: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  #subscriber: Redis | undefined;

  constructor(options: RedisBatchSignalOptions) {
    this.#client = options.client;
    this.channel = options.channel ?? 'orch:batches';
    this.#timeoutMs = options.timeoutMs ?? 200;
    this.#onError = options.onError;
  }

  /** Publishes a batch id; resolves with how many instances heard it. Rejects (typed) when Redis is down. */
  async notify(batchId: string): Promise<number> {
    if (!BATCH_ID.test(batchId)) throw new TypeError('batchId must be 1-128 of A-Z a-z 0-9 _ . -');
    return withRedisTimeout(
      this.#client.publish(this.channel, batchId),
      this.#timeoutMs,
      'batch notify',
    );
  }

  /**
   * Calls `handler` with each batch id published on the channel, by any
   * instance (this one included). Resolves once subscribed, or at once when
   * Redis is down — the subscription is made (again) whenever the subscriber
   * connection becomes ready.
   */
  async listen(handler: (batchId: string) => void): Promise<void> {
    if (this.#subscriber !== undefined) throw new Error('already listening');
    // A subscriber connection sends no commands of its own, so it never needs the
    // command timeout; it must not be shut down as a "dead socket" while idle either.
    const subscriber = this.#client.duplicate({ commandTimeout: undefined });
    this.#subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.#report(error));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel || !BATCH_ID.test(message)) return;
      try {
        handler(message);
      } catch (error) {
        this.#report(error);
      }
    });
    const subscribe = (): Promise<void> =>
      subscriber.subscribe(this.channel).then(
        () => undefined,
        (error: unknown) => this.#report(error),
      );
    // After a reconnect ioredis resubscribes by itself; this covers a first connect that came late.
    subscriber.on('ready', () => void subscribe());
    if (subscriber.status !== 'ready')
      await whenRedisReady(subscriber, this.#timeoutMs, 'batch listen').catch(() => {});
    // Subscribing twice (here and from the ready event) is harmless: Redis keeps one subscription.
    if (subscriber.status === 'ready') await subscribe();
  }

  /** Stops listening (the instance's own client is left to its owner). */
  close(): void {
    this.#subscriber?.disconnect();
    this.#subscriber = undefined;
  }

  #report(error: unknown): void {
    try {
      this.#onError?.(error);
    } catch {
      // A faulty listener must not crash the subscriber.
    }
  }
}
