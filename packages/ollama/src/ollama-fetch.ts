import { NdjsonLineReader, newLineStats } from './ndjson-line-reader.js';
import {
  httpErrorFromResponse,
  malformedLineError,
  networkError,
  type OllamaCallContext,
  skippedLinesError,
} from './ollama-error.js';

/**
 * The `fetch` one call hands the SDK. It is where the adapter gets what the
 * SDK does not give it:
 * - cancellation: the SDK passes no signal for non-streamed calls and only
 *   its own for streamed ones, so the call's signal is joined here, which
 *   cancels this one request (never the others of the same model, as the
 *   SDK's client-wide `abort()` would);
 * - HTTP errors with their status and headers (Retry-After), classified
 *   before the SDK's status check, which keeps only the message;
 * - a counted NDJSON body, so a line the SDK's parser skips (it drops lines
 *   that are not JSON) becomes a typed error instead of a silent gap.
 */
export function createCallFetch(base: typeof fetch, ctx: OllamaCallContext): typeof fetch {
  const call = new CallFetch(base, ctx);
  return call.fetch.bind(call) as typeof fetch;
}

class CallFetch {
  private signal: AbortSignal | undefined;

  constructor(
    private readonly base: typeof fetch,
    private readonly ctx: OllamaCallContext,
  ) {}

  async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const ctx = this.ctx;
    const own = init?.signal ?? undefined;
    const signal = ctx.signal && own ? AbortSignal.any([ctx.signal, own]) : (ctx.signal ?? own);
    this.signal = signal;
    let response: Response;
    try {
      response = await this.base(input, signal === undefined ? init : { ...init, signal });
    } catch (error) {
      // An abort is mapped by the caller, which knows whether it was a timeout.
      if (signal?.aborted) throw error;
      throw networkError(ctx, error);
    }
    ctx.responded = true;
    if (!response.ok) throw await httpErrorFromResponse(ctx, response);
    const body = ctx.stream ? response.body : null;
    if (!body) return response;
    // The SDK reads a streamed body through getReader(); the reader it gets here
    // hands out whole lines only and counts them (see NdjsonLineReader).
    const stats = newLineStats();
    ctx.lines = stats;
    const getReader = body.getReader.bind(body) as () => ReadableStreamDefaultReader<Uint8Array>;
    Object.defineProperty(body, 'getReader', {
      configurable: true,
      value: () => new NdjsonLineReader(getReader(), stats, this),
    });
    return response;
  }

  onMalformed(line: Uint8Array): unknown {
    return malformedLineError(this.ctx, line);
  }

  onSkipped(): unknown {
    return skippedLinesError(this.ctx);
  }

  onReadError(error: unknown): unknown {
    return this.signal?.aborted ? error : networkError(this.ctx, error);
  }
}
