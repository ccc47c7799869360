import { type Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** Where requests go and what they carry. */
export interface Target {
  readonly name: string;
  /** The chat completions URL. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The process serving it (a gateway); undefined for the upstream called directly. */
  readonly pid: number | undefined;
}

export interface LoadRun {
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Latencies of the 2xx responses, µs (sub-millisecond precision). */
  readonly latenciesUs: number[];
  readonly errors: number;
  readonly non2xx: number;
  readonly seconds: number;
}

/**
 * Runs autocannon against `target` with `connections` for `seconds`. The
 * latencies come from its per-response event, which keeps sub-millisecond
 * precision (its own histogram records whole milliseconds).
 */
export async function loadRun(
  target: Target,
  body: string,
  connections: number,
  seconds: number,
): Promise<LoadRun> {
  const latenciesUs: number[] = [];
  const started = performance.now();
  const instance = autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latenciesUs.push(ms * 1000);
  });
  const result = await instance;
  const elapsed = (performance.now() - started) / 1000;
  const ok = result['2xx'];
  return {
    requests: ok,
    requestsPerSecond: ok / Math.max(elapsed, 1e-9),
    latenciesUs,
    errors: result.errors,
    non2xx: result.non2xx,
    seconds: elapsed,
  };
}

export interface FirstByte {
  readonly status: number;
  /** Time to the response head, µs. */
  readonly headersUs: number;
  /** Time to the first body byte (the first SSE event), µs. */
  readonly firstByteUs: number;
  /** Time to the end of the response, µs. */
  readonly totalUs: number;
  readonly body: string;
}

/** One request with keep-alive `agent`, timing its head, first body byte and end. */
export function timedRequest(target: Target, body: string, agent: Agent): Promise<FirstByte> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(
      target.url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          ...target.headers,
        },
        timeout: 10_000,
      },
      (res) => {
        const headersUs = (performance.now() - start) * 1000;
        let firstByteUs = 0;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          if (firstByteUs === 0) firstByteUs = (performance.now() - start) * 1000;
          chunks.push(chunk);
        });
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headersUs,
            firstByteUs,
            totalUs: (performance.now() - start) * 1000,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.once('error', reject);
      },
    );
    req.once('timeout', () => req.destroy(new Error(`${target.name}: request timed out`)));
    req.once('error', reject);
    req.end(body);
  });
}
