// The programs the benchmark runs in child processes, as ES module source run
// with `node --input-type=module --eval`, so that a child carries no TypeScript
// loader (its RSS and CPU are the program's own). Bare imports resolve from the
// bench package (the child's cwd): to the built `dist/` of the workspace
// packages, or to their TypeScript sources with `--conditions=@orchestrator/source
// --import tsx` (see `sourceFlags`).

/** The key the gateways send upstream; the fake does not check it. */
export const UPSTREAM_KEY = 'sk-bench-0123456789abcdefghijklmnop';

/** Flags that make a child import the workspace packages' TypeScript sources. */
export const sourceFlags = ['--conditions=@orchestrator/source', '--import', 'tsx'] as const;

/**
 * The upstream: a FakeOpenAIServer on 127.0.0.1 answering at once (every
 * profile field zero: no latency, no failures, the whole stream in one go).
 * Sends `{ type: 'ready', url, baseURL }` over IPC.
 */
export const upstreamProgram = `
import { FakeOpenAIServer } from '@orchestrator/testing';
const server = new FakeOpenAIServer({
  profiles: { '*': { latencyMs: 0, latencyJitter: 0, tokensPerSecond: 0, failureRate: 0, rateLimitRate: 0 } },
});
await server.start();
// The fake records every request for tests; a benchmark sends far too many to keep.
setInterval(() => { server.requests.length = 0; }, 250).unref();
process.on('disconnect', () => process.exit(0));
process.once('SIGTERM', () => { server.close().finally(() => process.exit(0)); });
process.send({ type: 'ready', url: server.url, baseURL: server.baseURL });
`;

/**
 * Our gateway: createServer with the fake as its only OpenAI model, auth off,
 * cache off (every request goes upstream), storage in memory, JSON logs at
 * BENCH_LOG_LEVEL to stdout (ignored by the parent, i.e. /dev/null).
 * Sends `{ type: 'ready', url }` over IPC.
 */
export const orchestratorProgram = `
import { createServer } from '@orchestrator/server';
const gateway = await createServer(
  {
    server: { host: '127.0.0.1', port: 0, logLevel: process.env.BENCH_LOG_LEVEL || 'info' },
    auth: { enabled: false },
    cache: { enabled: false },
    providers: { openai: { baseURL: process.env.BENCH_UPSTREAM, allowLoopback: true } },
    models: [{ name: 'gpt-4o-mini', provider: 'openai', modelId: 'gpt-4o-mini' }],
  },
  { env: { OPENAI_API_KEY: process.env.BENCH_UPSTREAM_KEY } },
);
const url = await gateway.listen({ port: 0, host: '127.0.0.1' });
process.on('disconnect', () => process.exit(0));
process.once('SIGTERM', () => { gateway.close().finally(() => process.exit(0)); });
process.send({ type: 'ready', url });
`;

/**
 * The floor: the least any Node proxy does for this route — a node:http
 * server that reads the body, parses it, sends `{ model, messages }` to the
 * upstream through the same @orchestrator/transport our adapters use, and
 * writes the answer back (plain: parsed and re-serialized; stream: the
 * upstream's bytes as they come). No routing, validation, accounting, logs or
 * metrics. What it adds over the upstream called directly is what the
 * machine charges for one more process and two more loopback hops.
 * Sends `{ type: 'ready', url }` over IPC.
 */
export const floorProgram = `
import { createServer } from 'node:http';
import { createTransportFetch } from '@orchestrator/transport';
const upstream = process.env.BENCH_UPSTREAM + '/chat/completions';
const authorization = 'Bearer ' + process.env.BENCH_UPSTREAM_KEY;
const send = createTransportFetch();
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const answer = await send(upstream, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ model: body.model, messages: body.messages, stream: body.stream === true }),
      });
      if (body.stream === true) {
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/event-stream' });
        for await (const chunk of answer.body) res.write(chunk);
        res.end();
        return;
      }
      const out = JSON.stringify(await answer.json());
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', url: 'http://127.0.0.1:' + server.address().port });
});
process.on('disconnect', () => process.exit(0));
process.once('SIGTERM', () => process.exit(0));
`;

/**
 * Preloaded into Portkey's gateway (`--import data:…`): its server would
 * listen on every interface; this binds it to 127.0.0.1 and reports the port
 * over IPC (`{ type: 'ready', port }`). It exits when the parent goes away.
 */
const portkeyPreload = `
import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') {
    if (typeof args[1] === 'function') args.splice(1, 0, '127.0.0.1');
    else if (args[1] === undefined || args[1] === null) args[1] = '127.0.0.1';
  } else if (typeof args[0] === 'object' && args[0] !== null && args[0].host === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') process.send?.({ type: 'ready', port: address.port });
  });
  return listen.apply(this, args);
};
process.on('disconnect', () => process.exit(0));
`;

export const portkeyPreloadUrl = `data:text/javascript,${encodeURIComponent(portkeyPreload)}`;
