import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './paths.js';

const SERVER_SRC = join(repoRoot, 'packages/server/src');

export interface Route {
  readonly method: string;
  /** OpenAPI style: `/api/models/{name}`. */
  readonly path: string;
  readonly file: string;
  readonly summary: string | undefined;
}

export interface GatewayErrorCode {
  readonly code: string;
  readonly statuses: readonly number[];
  readonly files: readonly string[];
}

function serverFiles(): string[] {
  if (!existsSync(SERVER_SRC)) return [];
  return readdirSync(SERVER_SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('__'))
    .map((f) => join(SERVER_SRC, f));
}

/**
 * Every route the server registers, read from its sources
 * (`app.get('/path', …)`, with `${CONST}` prefixes resolved from the same
 * file), with the summary the server's own OpenAPI document gives it.
 */
export async function collectRoutes(): Promise<Route[]> {
  const summaries = new Map<string, string>();
  const server = (await import('@orchestrator/server').catch(() => ({}))) as Record<
    string,
    unknown
  >;
  if (typeof server.openApiDocument === 'function' && typeof server.parseConfig === 'function') {
    const config = (server.parseConfig as (raw: unknown, env: object) => unknown)({}, {});
    const doc = (server.openApiDocument as (c: unknown) => { paths: Record<string, object> })(
      config,
    );
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, { summary?: string }>)) {
        if (op.summary) summaries.set(`${method.toUpperCase()} ${path}`, op.summary);
      }
    }
  }
  const routes: Route[] = [];
  for (const file of serverFiles()) {
    const text = readFileSync(file, 'utf8');
    const consts = new Map<string, string>();
    for (const m of text.matchAll(/const\s+(\w+)\s*=\s*'([^']*)'/g)) consts.set(m[1]!, m[2]!);
    const re = /app\.(get|post|put|delete|patch)(?:<[^>]*>)?\(\s*(?:'([^']+)'|`([^`]+)`)/g;
    for (const m of text.matchAll(re)) {
      let raw = m[2] ?? m[3]!;
      raw = raw.replace(/\$\{(\w+)\}/g, (_, name: string) => consts.get(name) ?? `{${name}}`);
      if (raw.includes('{kind}')) {
        // `/api/models/audio/${kind}` over a literal list in the same file.
        const kinds = /for \(const kind of \[([^\]]+)\]/.exec(text)?.[1];
        for (const k of kinds?.match(/'([^']+)'/g) ?? []) {
          const path = raw.replace('{kind}', k.slice(1, -1));
          routes.push(route(m[1]!, path, file, summaries));
        }
        continue;
      }
      routes.push(route(m[1]!, raw, file, summaries));
    }
  }
  return routes;
}

function route(method: string, raw: string, file: string, summaries: Map<string, string>): Route {
  const path = raw.replace(/:(\w+)/g, '{$1}');
  const key = `${method.toUpperCase()} ${path}`;
  return {
    method: method.toUpperCase(),
    path,
    file: relative(repoRoot, file),
    summary: summaries.get(key),
  };
}

/** Every `new ApiError(status, 'code', …)` in the server's sources. */
export function collectGatewayErrorCodes(): GatewayErrorCode[] {
  const found = new Map<string, { statuses: Set<number>; files: Set<string> }>();
  for (const file of serverFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new ApiError\(\s*(\d{3}),\s*'([a-z][a-z0-9_]*)'/g)) {
      const entry = found.get(m[2]!) ?? { statuses: new Set(), files: new Set() };
      entry.statuses.add(Number(m[1]));
      entry.files.add(relative(repoRoot, file));
      found.set(m[2]!, entry);
    }
    // The `invalid(param, message)` helper is a 400 invalid_request.
    if (/\binvalid\(\s*['`]/.test(text)) {
      const entry = found.get('invalid_request') ?? { statuses: new Set(), files: new Set() };
      entry.statuses.add(400);
      entry.files.add(relative(repoRoot, file));
      found.set('invalid_request', entry);
    }
  }
  return [...found]
    .map(([code, e]) => ({
      code,
      statuses: [...e.statuses].sort(),
      files: [...e.files].sort(),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** Summaries for routes the server's OpenAPI document does not describe. */
const EXTRA_SUMMARIES: Readonly<Record<string, string>> = {
  'GET /openapi.json': 'The OpenAPI 3 document of these routes (public)',
  'GET /docs': 'A rendered API reference page of the OpenAPI document (public)',
};

const GROUPS: readonly [string, (path: string) => boolean][] = [
  ['OpenAI-compatible', (p) => p.startsWith('/v1/') && !p.startsWith('/v1/messages')],
  ['Anthropic-compatible', (p) => p === '/v1/messages' || p.startsWith('/v1/messages/')],
  ['Orchestrator API', (p) => p.startsWith('/api/v1/orchestrator/')],
  ['Model management', (p) => p.startsWith('/api/models')],
  ['API keys (admin)', (p) => p.startsWith('/api/admin/')],
  ['Operations', () => true],
];

export async function generateEndpointsPage(out: string): Promise<number> {
  const { writeFile } = await import('node:fs/promises');
  const routes = await collectRoutes();
  if (routes.length === 0) {
    await writeFile(
      out,
      '# Endpoint reference\n\nThe gateway has no routes in the repository yet.\n',
    );
    return 0;
  }
  const used = new Set<Route>();
  const sections = GROUPS.map(([title, match]) => {
    const rows = routes
      .filter((r) => !used.has(r) && match(r.path))
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
    for (const r of rows) used.add(r);
    if (rows.length === 0) return '';
    const lines = rows.map((r) => {
      const summary = r.summary ?? EXTRA_SUMMARIES[`${r.method} ${r.path}`] ?? '';
      return `| \`${r.method}\` | \`${r.path}\` | ${summary.replace(/\|/g, '\\|')} | \`${r.file.replace('packages/server/src/', '')}\` |`;
    });
    return `## ${title}\n\n| method | path | what it does | source (\`packages/server/src/\`) |\n|---|---|---|---|\n${lines.join('\n')}\n`;
  }).filter(Boolean);
  await writeFile(
    out,
    `# Endpoint reference

<!-- Generated by apps/docs/scripts/generate-gateway-reference.ts. Do not edit. -->

Every route \`createServer\` registers, read from the server's sources at
build time, with the summary from the server's own OpenAPI document
(\`GET /openapi.json\`). How to call them — keys, dialects, streaming, errors
— is on [The gateway](./index.md).

${sections.join('\n')}`,
  );
  return routes.length;
}

export function gatewayErrorTable(notes: Readonly<Record<string, string>>): {
  table: string;
  undocumented: string[];
} {
  const codes = collectGatewayErrorCodes();
  const rows = codes.map(
    (c) =>
      `| \`${c.code}\` | ${c.statuses.join(', ')} | ${(notes[c.code] ?? '').replace(/\|/g, '\\|')} | ${c.files.map((f) => `\`${f.replace('packages/server/src/', '')}\``).join('<br>')} |`,
  );
  return {
    table: `| code | HTTP status | meaning | raised in (\`packages/server/src/\`) |\n|---|---|---|---|\n${rows.join('\n')}`,
    undocumented: codes.filter((c) => !notes[c.code]).map((c) => c.code),
  };
}
