import { GatewayClient } from './gateway-client.js';

/** What every command gets: where the gateway is, the key, and where output goes. */
export interface CliContext {
  readonly url: string;
  readonly key: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes a line to stdout. */
  out(line: string): void;
  /** Writes text to stdout without a newline (streamed answers). */
  write(text: string): void;
  /** Writes a line to stderr (progress, decisions, summaries). */
  err(line: string): void;
  /** Dims text when stderr is a terminal. */
  dim(text: string): string;
  /** Whether stderr is a terminal (progress bars redraw in place). */
  readonly interactive: boolean;
  client(timeoutMs?: number): GatewayClient;
}

export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

export function createCliContext(
  url: string,
  key: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): CliContext {
  const interactive = io.stderr.isTTY === true && env.NO_COLOR === undefined;
  return {
    url,
    key,
    env,
    out: (line) => io.stdout.write(`${line}\n`),
    write: (text) => io.stdout.write(text),
    err: (line) => io.stderr.write(`${line}\n`),
    dim: (text) => (interactive ? `\x1b[2m${text}\x1b[0m` : text),
    interactive,
    client: (timeoutMs) =>
      new GatewayClient({ url, key, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
  };
}
