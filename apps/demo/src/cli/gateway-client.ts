import { CliError } from './cli-error.js';

export interface GatewayClientOptions {
  readonly url: string;
  readonly key: string | undefined;
  /** Per-request timeout, ms. */
  readonly timeoutMs?: number;
}

interface ErrorBody {
  readonly error?: { readonly message?: string; readonly code?: string; readonly type?: string };
}

/**
 * A small fetch wrapper for the CLI: JSON in and out, and the gateway's
 * failures turned into messages a person can act on (unreachable gateway,
 * missing or rejected key, anything else with the gateway's own words).
 */
export class GatewayClient {
  readonly url: string;
  private readonly key: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: GatewayClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new CliError(
        `--url must be a URL such as http://127.0.0.1:8787, got "${options.url}"`,
        2,
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new CliError(`--url must be http or https, got "${options.url}"`, 2);
    this.url = parsed.origin + parsed.pathname.replace(/\/+$/, '');
    this.key = options.key;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** Sends a request; resolves with the response only when it is a success. */
  async send(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
    if (this.key !== undefined) headers.authorization = `Bearer ${this.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ?? AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.networkError(error);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let message = text.slice(0, 300);
    let code: string | undefined;
    try {
      const parsed = JSON.parse(text) as ErrorBody;
      message = parsed.error?.message ?? message;
      code = parsed.error?.code ?? parsed.error?.type;
    } catch {
      // Not JSON (a proxy's HTML page, say): the start of the text is the best we have.
    }
    if (res.status === 401) {
      throw new CliError(
        this.key === undefined
          ? `The gateway at ${this.url} needs an API key: pass --key or set ORCHESTRATOR_API_KEY (the demo prints its admin key at start).`
          : `The gateway at ${this.url} rejected the key (${code ?? 'unauthorized'}): check --key or ORCHESTRATOR_API_KEY.`,
        1,
      );
    }
    if (res.status === 403) throw new CliError(`Forbidden (${code ?? '403'}): ${message}`, 1);
    throw new CliError(
      `The gateway answered ${res.status}${code ? ` ${code}` : ''}: ${message}`,
      1,
    );
  }

  private networkError(error: unknown): CliError {
    const cause = (error as { cause?: { code?: string } }).cause;
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError')
      return new CliError(
        `The gateway at ${this.url} did not answer within ${this.timeoutMs / 1000} s.`,
        1,
      );
    const code = cause?.code ?? '';
    if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN'].includes(code))
      return new CliError(
        `Cannot reach the gateway at ${this.url} (${code}). Start it with \`orchestrator serve\` (or \`pnpm demo\`), or point --url / ORCHESTRATOR_URL at a running one.`,
        1,
      );
    return new CliError(
      `Request to ${this.url} failed: ${error instanceof Error ? error.message : String(error)}`,
      1,
    );
  }
}
