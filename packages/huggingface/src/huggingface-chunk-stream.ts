import type { ChatChunk } from '@orchestrator/core';

/** One streamed call, as the model sets it up when the stream is first read. */
export interface StreamCall {
  /** Sends the request: the SDK's events. Throws when the request cannot be built. */
  events(): AsyncIterable<unknown>;
  /** The chunks one event yields (possibly none); throws on a malformed event. */
  push(event: unknown): ChatChunk[];
  /** The error chunk for a failure; called before `stop`, so a timeout is still told apart. */
  error(error: unknown): ChatChunk;
  /** The last chunk of a stream the server ended: `finish`, or an error if the model never finished. */
  end(): ChatChunk;
  /** Aborts the request (a failure, or a consumer that stopped early). */
  stop(): void;
  /** Clears the call's timer and its listener on the caller's signal. */
  dispose(): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * The chunks of one streamed call: mapped events, then one `finish`, or one
 * `error` after whatever came before it. A hand-written iterator rather than
 * an async generator: a generator adds a resumption and a queued promise per
 * chunk on top of the SDK's own iteration, most of the adapter's per-call
 * cost on a streamed answer. Like a generator's, `next()` is meant to be
 * awaited before it is called again.
 */
export class HuggingFaceChunkStream implements AsyncIterableIterator<ChatChunk> {
  private call: StreamCall | undefined;
  private events: AsyncIterator<unknown> | undefined;
  private pending: ChatChunk[] = [];
  private at = 0;
  private done = false;

  constructor(private readonly begin: () => StreamCall) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ChatChunk>> {
    if (this.at < this.pending.length) {
      return Promise.resolve({ value: this.pending[this.at++] as ChatChunk, done: false });
    }
    if (this.done) return Promise.resolve(DONE);
    if (this.events === undefined) {
      // Set up on first read, as a generator would: a stream never read sends nothing.
      const call = this.begin();
      this.call = call;
      try {
        this.events = call.events()[Symbol.asyncIterator]();
      } catch (error) {
        return Promise.resolve(this.fail(error));
      }
    }
    return this.events.next().then(this.onEvent, this.onError);
  }

  // Bound once: a `.then` per event is cheaper than an async function's await.
  private readonly onEvent = (
    result: IteratorResult<unknown>,
  ): IteratorResult<ChatChunk> | Promise<IteratorResult<ChatChunk>> => {
    const call = this.call as StreamCall;
    if (result.done) {
      // The server ended the stream: nothing to abort.
      this.done = true;
      call.dispose();
      return { value: call.end(), done: false };
    }
    let chunks: ChatChunk[];
    try {
      chunks = call.push(result.value);
    } catch (error) {
      return this.fail(error);
    }
    if (chunks.length === 0) return this.next();
    this.pending = chunks;
    this.at = 1;
    return { value: chunks[0] as ChatChunk, done: false };
  };

  private readonly onError = (error: unknown): IteratorResult<ChatChunk> => this.fail(error);

  async return(): Promise<IteratorResult<ChatChunk>> {
    if (!this.done) {
      // A consumer that stops early must not leave the upstream request running
      // (abort first: disposing detaches the signal).
      this.call?.stop();
      this.close();
      await this.events?.return?.()?.catch(() => undefined);
    }
    return DONE;
  }

  private fail(error: unknown): IteratorResult<ChatChunk> {
    const call = this.call as StreamCall;
    const chunk = call.error(error);
    call.stop();
    this.close();
    this.events?.return?.()?.catch(() => undefined);
    return { value: chunk, done: false };
  }

  private close(): void {
    this.done = true;
    this.pending = [];
    this.at = 0;
    this.call?.dispose();
  }
}
