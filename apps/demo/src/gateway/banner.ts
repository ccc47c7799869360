import { relative } from 'node:path';
import type { DemoGateway } from './start-demo-gateway.js';

export const SAMPLE_PROMPT = 'Write a debounce function in TypeScript';

/** The key a snippet should send: the admin key, or any non-empty string when auth is off. */
export function snippetKey(gateway: Pick<DemoGateway, 'adminKey'>): string {
  return gateway.adminKey ?? 'auth-is-off';
}

/** A `curl` that asks the gateway to route and answer a prompt. */
export function curlSnippet(url: string, key: string): string {
  const body = JSON.stringify({
    model: 'auto',
    messages: [{ role: 'user', content: SAMPLE_PROMPT }],
  });
  return [
    `curl ${url}/v1/chat/completions \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "content-type: application/json" \\`,
    `  -d '${body}'`,
  ].join('\n');
}

/** A runnable ES module using the official `openai` SDK against the gateway. */
export function openaiSnippet(url: string, key: string): string {
  return [
    `import OpenAI from 'openai';`,
    `const client = new OpenAI({ baseURL: '${url}/v1', apiKey: '${key}' });`,
    `const stream = await client.chat.completions.create({`,
    `  model: 'auto', // or a model name from GET /v1/models`,
    `  messages: [{ role: 'user', content: '${SAMPLE_PROMPT}' }],`,
    `  stream: true,`,
    `});`,
    `for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');`,
  ].join('\n');
}

function storage(gateway: DemoGateway): string {
  if (gateway.storage === 'pglite' && gateway.dataDir !== undefined)
    return `PGlite (embedded PostgreSQL) in ${relative(process.cwd(), gateway.dataDir) || '.'}`;
  if (gateway.storage === 'postgres') return 'PostgreSQL (DATABASE_URL)';
  return `${gateway.storage} (nothing survives a restart)`;
}

const bold = (s: string, color: boolean): string => (color ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string, color: boolean): string => (color ? `\x1b[2m${s}\x1b[0m` : s);
const yellow = (s: string, color: boolean): string => (color ? `\x1b[33m${s}\x1b[0m` : s);

/**
 * What the demo prints once it listens: where to go and how to call it.
 * The admin key appears here, once, when it was generated for this run; it
 * is never logged anywhere else.
 */
export function banner(gateway: DemoGateway, options: { color?: boolean } = {}): string {
  const color = options.color ?? false;
  const { url, fleet } = gateway;
  const providers = fleet.providers();
  const simulated = providers.filter((p) => p.simulated).map((p) => p.label);
  const live = providers.filter((p) => !p.simulated).map((p) => `${p.label} (${p.keyVariable})`);
  const key = snippetKey(gateway);
  const fragment = gateway.adminKey === undefined ? '' : `#key=${gateway.adminKey}`;
  const lines = [
    '',
    bold(`  Orchestrator demo gateway — ${fleet.models.length} models`, color),
    '',
    `  Dashboard       ${bold(`${url}/dashboard${fragment}`, color)}`,
    `  API base URL    ${url}/v1   ${dim('(OpenAI-compatible; Anthropic Messages at /v1/messages)', color)}`,
    `  Orchestrator    ${url}/api/v1/orchestrator/   ${dim(`API reference: ${url}/docs`, color)}`,
  ];
  if (gateway.auth && gateway.adminKey !== undefined && gateway.adminKeyGenerated) {
    lines.push(
      `  Admin key       ${gateway.adminKey}`,
      dim(
        '                  shown once, valid for this run; set ORCHESTRATOR_ADMIN_KEY to choose your own',
        color,
      ),
    );
  } else if (gateway.auth) {
    lines.push('  Admin key       from ORCHESTRATOR_ADMIN_KEY');
  } else {
    lines.push(
      yellow(
        '  AUTH IS OFF     every caller is user "local" with admin rights — loopback use only',
        color,
      ),
    );
  }
  lines.push(
    `  Storage         ${storage(gateway)}; cache, limits and budgets in ${gateway.sharedState === 'redis' ? 'Redis (REDIS_URL)' : 'memory'}`,
  );
  if (simulated.length > 0) {
    lines.push(
      `  Simulated       ${simulated.join(', ')}`,
      dim(
        '                  fake servers on loopback speaking each real wire protocol; answers start with "[simulated]"',
        color,
      ),
    );
  }
  if (live.length > 0) lines.push(`  Live            ${live.join(', ')}`);
  const gatewayKey = gateway.adminKey === undefined ? '' : ` --key ${key}`;
  lines.push(
    '',
    bold('  Try it', color),
    '',
    ...curlSnippet(url, key)
      .split('\n')
      .map((l) => `    ${l}`),
    '',
    dim('    // with the official openai SDK (npm i openai), as an ES module:', color),
    ...openaiSnippet(url, key)
      .split('\n')
      .map((l) => `    ${l}`),
    '',
    dim(
      `    # or the CLI, from the repository root: node apps/demo/bin/orchestrator.mjs chat "Hello"${gatewayKey}`,
      color,
    ),
    '',
  );
  return lines.join('\n');
}
