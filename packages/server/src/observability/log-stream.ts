/** Where log lines go: anything with `write` (pino's destination stream). */
export interface LogStream {
  write(line: string): void;
}

/**
 * Standard output for log lines, one write per event-loop turn: the lines
 * logged while one turn runs (under load, the access lines of every request
 * that finished in it) leave together when it ends, on `setImmediate`.
 * Pino's default for stdout is an asynchronous fs.write through libuv's
 * thread pool, and a synchronous write per line is one system call per
 * request; both cost several % of the gateway's CPU (bench/src/gateway,
 * issue 5). A line waits at most until the end of the current turn, and
 * whatever is pending is written synchronously when the process exits.
 */
export class TurnBatchedStream implements LogStream {
  #pending: string[] = [];
  #scheduled = false;
  readonly #out: { write(text: string): unknown };

  constructor(out: { write(text: string): unknown }) {
    this.#out = out;
  }

  write(line: string): void {
    this.#pending.push(line);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes what is pending now. */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const text = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
    this.#pending = [];
    this.#out.write(text);
  }
}

let stdout: TurnBatchedStream | undefined;

/** The one batched stream to process.stdout (flushed on exit), shared by every gateway in the process. */
export function batchedStdout(): TurnBatchedStream {
  if (stdout === undefined) {
    const stream = new TurnBatchedStream(process.stdout);
    process.once('exit', () => stream.flush());
    stdout = stream;
  }
  return stdout;
}
