import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Orchestrator demo</title>
<body style="font:16px system-ui;margin:3rem;max-width:40rem">
<h1>The dashboard is not built yet</h1>
<p>Build it once with <code>pnpm --filter @orchestrator/demo build</code> (the root
<code>pnpm demo</code> does this for you), then reload. The API works meanwhile.</p>`;

/**
 * Serves the Vite-built dashboard from `root`: `index.html` for the page,
 * hashed assets with a long cache life. Paths are resolved inside `root`
 * only (no `..` escapes).
 */
export async function serveStatic(
  root: string,
  relativePath: string,
  res: ServerResponse,
): Promise<void> {
  const wanted = relativePath === '' || relativePath === '/' ? 'index.html' : relativePath;
  const full = normalize(join(root, wanted));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(full);
  } catch {
    if (wanted === 'index.html') {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' }).end(NOT_BUILT);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const hashed = wanted.startsWith('assets/');
  res.writeHead(200, {
    'content-type': TYPES[extname(full)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
