import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../gateway-context.js';
import { openApiDocument } from './openapi.js';
import { renderReferencePage } from './reference-page.js';

export function registerDocsRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const doc = openApiDocument(ctx.config);
  const page = renderReferencePage(doc);
  app.get('/openapi.json', async () => doc);
  app.get('/docs', async (_request, reply) => {
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return page;
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
