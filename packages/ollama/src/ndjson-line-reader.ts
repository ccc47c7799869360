const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const ERROR_KEY = new TextEncoder().encode('"error"');

/** What the reader and the adapter know about the lines of a streamed body. */
export interface NdjsonLineStats {
  /** Non-blank lines handed to the SDK so far. */
  delivered: number;
  /** Messages the SDK yielded so far (counted by the adapter). */
  received: number;
  /** The lines of the last delivery (for error messages). */
  lastBatch: readonly Uint8Array[];
  /** True once a line that looks like Ollama's `{"error": …}` went out. */
  errorLine: boolean;
}

export function newLineStats(): NdjsonLineStats {
  return { delivered: 0, received: 0, lastBatch: [], errorLine: false };
}

export interface NdjsonLineHandlers {
  /** The error for a line that is not shaped like a JSON object. */
  onMalformed(line: Uint8Array): unknown;
  /** The error for lines the SDK's parser skipped (it drops lines that are not JSON). */
  onSkipped(stats: NdjsonLineStats): unknown;
  /** Maps a failure to read the body (a cut connection, an abort). */
  onReadError?(error: unknown): unknown;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === NEWLINE;
}

/** Whether a line is shaped like a JSON object (`{…}`); undefined when it is blank. */
function objectShape(line: Uint8Array): boolean | undefined {
  let start = 0;
  let end = line.length - 1;
  while (start <= end && isSpace(line[start]!)) start++;
  if (start > end) return undefined;
  while (isSpace(line[end]!)) end--;
  return line[start] === OPEN_BRACE && line[end] === CLOSE_BRACE;
}

/** `{"error"` at the start of a line, spaces allowed after the brace. */
function looksLikeErrorLine(line: Uint8Array): boolean {
  let i = 0;
  while (i < line.length && isSpace(line[i]!)) i++;
  if (line[i] !== OPEN_BRACE) return false;
  i++;
  while (i < line.length && isSpace(line[i]!)) i++;
  if (line.length - i < ERROR_KEY.length) return false;
  for (let k = 0; k < ERROR_KEY.length; k++) if (line[i + k] !== ERROR_KEY[k]) return false;
  return true;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const DONE: ReadableStreamReadResult<Uint8Array> = Object.freeze({ done: true, value: undefined });

/**
 * A reader over an NDJSON body that hands the SDK whole lines only,
 * dropping blank lines (keep-alives), and counts them, so that a line the
 * SDK's parser skips becomes an error instead of a silent gap.
 *
 * - A line not even shaped like an object (`{…}`: a cut-off line, an HTML
 *   fragment) ends the stream with `onMalformed`'s error, after the lines
 *   before it, before the SDK sees (and logs) it.
 * - A line shaped like one but not JSON is skipped by the SDK's parser with
 *   a console warning. The SDK asks for more bytes only after it parsed —
 *   and the adapter received — every message of the previous delivery, so
 *   at each read `delivered` must equal `received`; a difference ends the
 *   stream with `onSkipped`'s error. (The adapter checks again at the final
 *   message, after which the SDK reads no more.) No line is parsed twice.
 *
 * Lines are cut on bytes, so a chunk boundary anywhere — inside a UTF-8
 * sequence, between CR and LF — changes nothing.
 */
export class NdjsonLineReader implements ReadableStreamDefaultReader<Uint8Array> {
  private carry: Uint8Array | undefined;
  private ended = false;
  /** The last delivery was a final line without a newline: the SDK parses it only after EOF. */
  private unterminated = false;
  private failure: { readonly error: unknown } | undefined;
  private pending: { readonly error: unknown } | undefined;

  constructor(
    private readonly source: ReadableStreamDefaultReader<Uint8Array>,
    private readonly stats: NdjsonLineStats,
    private readonly handlers: NdjsonLineHandlers,
  ) {}

  get closed(): Promise<undefined> {
    return this.source.closed as Promise<undefined>;
  }

  releaseLock(): void {
    this.source.releaseLock();
  }

  cancel(reason?: unknown): Promise<void> {
    return this.source.cancel(reason);
  }

  async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    if (this.failure) throw this.failure.error;
    const stats = this.stats;
    if (stats.delivered !== stats.received && !this.unterminated)
      this.fail(this.handlers.onSkipped(stats));
    if (this.pending) this.fail(this.pending.error);
    while (!this.ended) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await this.source.read();
      } catch (error) {
        throw this.handlers.onReadError ? this.handlers.onReadError(error) : error;
      }
      if (result.done) {
        this.ended = true;
        const last = this.carry;
        this.carry = undefined;
        const shape = last ? objectShape(last) : undefined;
        if (last && shape === false) this.fail(this.handlers.onMalformed(last));
        if (last && shape) {
          this.unterminated = true;
          return this.deliver([last]);
        }
        break;
      }
      const lines = this.frame(result.value);
      if (lines.length > 0) return this.deliver(lines);
      const pending = this.pending as { readonly error: unknown } | undefined;
      if (pending) this.fail(pending.error);
    }
    return DONE;
  }

  /** The complete lines a chunk finishes, blank ones dropped; stops at one that is not an object. */
  private frame(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      let line = chunk.subarray(start, nl + 1);
      start = nl + 1;
      if (this.carry) {
        line = concat([this.carry, line]);
        this.carry = undefined;
      }
      const shape = objectShape(line);
      if (shape === undefined) continue;
      if (!shape) {
        // Lines before it still go out; the failure comes with the next read.
        this.pending = { error: this.handlers.onMalformed(line) };
        return out;
      }
      out.push(line);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.carry = this.carry ? concat([this.carry, rest]) : rest;
    }
    return out;
  }

  private deliver(lines: Uint8Array[]): ReadableStreamReadResult<Uint8Array> {
    const stats = this.stats;
    stats.delivered += lines.length;
    stats.lastBatch = lines;
    if (!stats.errorLine)
      for (const line of lines) if (looksLikeErrorLine(line)) stats.errorLine = true;
    return { done: false, value: concat(lines) };
  }

  private fail(error: unknown): never {
    this.failure = { error };
    this.source.cancel(error).catch(() => {});
    throw error;
  }
}
