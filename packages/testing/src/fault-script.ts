/**
 * What a fake server should do with one request instead of its normal answer.
 * Scripts are queued with `FakeServer.enqueue` and consumed in order by the
 * requests they match.
 */
export interface FaultScript {
  /** Which requests the script applies to; by default any. */
  readonly match?: { readonly path?: string | RegExp; readonly model?: string };
  /** How many matching requests it applies to (default 1; `Infinity` for a lasting fault). */
  readonly times?: number;
  /** Answer with this HTTP status; the body is the provider's error shape unless `body` is given. */
  readonly status?: number;
  /** A raw body to send as is (objects are sent as JSON). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Provider error type/code and message for the error body. */
  readonly errorType?: string;
  readonly errorMessage?: string;
  /** Wait before the first byte, in ms. */
  readonly delayMs?: number;
  /** Wait between stream events, in ms. */
  readonly chunkDelayMs?: number;
  /** Close the connection after this many stream events. */
  readonly cutAfterChunks?: number;
  /** Replace the stream event at this index with a malformed one. */
  readonly malformedAt?: number;
  /** Send a keep-alive comment (SSE) or blank line (NDJSON) before every event. */
  readonly keepAlive?: boolean;
  /** Byte offsets at which to split the whole stream body into separate writes. */
  readonly splitAt?: readonly number[];
  /** Write the stream body in pieces of this many bytes. */
  readonly chunkBytes?: number;
  /**
   * Line ending of a stream's lines, SSE or NDJSON (default `\n`); `\r\n` is
   * legal in both and exercises a client's CR/LF splitting. Read by the
   * OpenAI, Azure, Anthropic and Ollama fakes; Hugging Face and Gemini take
   * it as a server option instead.
   */
  readonly lineEnding?: '\n' | '\r\n';
  /** The text of the answer. */
  readonly text?: string;
  /** Tool calls the answer should make. */
  readonly toolCalls?: readonly { readonly name: string; readonly arguments: string }[];
  /** Usage to report. */
  readonly usage?: {
    readonly inputTokens?: number;
    readonly outputTokens?: number;
    readonly cachedInputTokens?: number;
    readonly reasoningTokens?: number;
  };
  /** Finish/stop reason in the provider's own words. */
  readonly finishReason?: string;
  /** Send the provider's "overloaded" error as the first event of a 200 stream (Anthropic). */
  readonly overloadedEvent?: boolean;
  /** Never answer; the client must time out or abort. */
  readonly hang?: boolean;
}

export function scriptMatches(
  script: FaultScript,
  path: string,
  model: string | undefined,
): boolean {
  const m = script.match;
  if (!m) return true;
  if (m.path !== undefined) {
    if (typeof m.path === 'string' ? !path.startsWith(m.path) : !m.path.test(path)) return false;
  }
  if (m.model !== undefined && m.model !== model) return false;
  return true;
}
