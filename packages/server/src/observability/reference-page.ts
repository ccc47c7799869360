const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A self-contained HTML API reference (no scripts, no CDN) rendered from the OpenAPI document. */
export function renderReferencePage(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<
    string,
    Record<string, { summary: string; tags: string[]; requestBody?: unknown }>
  >;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const body = op.requestBody as
        | { content: { 'application/json': { schema: unknown } } }
        | undefined;
      sections.push(`<section><h2><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h2>
<p>${escapeHtml(op.summary)} <small>${escapeHtml(op.tags.join(', '))}</small></p>
${body ? `<details><summary>Request body schema</summary><pre>${escapeHtml(JSON.stringify(body.content['application/json'].schema, null, 2))}</pre></details>` : ''}
</section>`);
    }
  }
  const info = doc.info as { title: string; description: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)} — API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1.05rem;margin:.4rem 0}
.m{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.get{background:#2b7}.post{background:#27c}.put{background:#c82}.delete{background:#c33}
pre{background:#f6f6f6;padding:.6rem;overflow:auto;font-size:12px}small{color:#888}</style></head>
<body><h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.description)} Errors: OpenAI's shape on <code>/v1/chat</code>, Anthropic's on <code>/v1/messages</code>, <code>{error:{code,message,param,requestId}}</code> elsewhere. Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
${sections.join('\n')}</body></html>`;
}
