import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../gateway-context.js';
import { openApiDocument } from './openapi.js';
import { renderReferencePage } from './reference-page.js';

export function registerDocsRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  // Built on first request, not at start: generating JSON Schema for every
  // route allocates several MB that a gateway nobody reads the docs of would
  // keep resident (idle RSS, issue 5).
  let doc: Record<string, unknown> | undefined;
  let page: string | undefined;
  const document = () => {
    doc ??= openApiDocument(ctx.config);
    return doc;
  };
  app.get('/openapi.json', async () => document());
  app.get('/docs', async (_request, reply) => {
    page ??= renderReferencePage(document());
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return page;
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
