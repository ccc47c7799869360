import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createServer } from '../create-server.js';

const cache = createRequire(import.meta.url).cache;
const isCompiler = (file: string) =>
  /[\\/]node_modules[\\/](?:ajv|fast-json-stringify|@fastify[\\/](?:ajv-compiler|fast-json-stringify-compiler))[\\/]/.test(
    file,
  );

describe("fastify's schema compilers", () => {
  it('are not loaded by a gateway, whose routes declare no JSON schema', async () => {
    // Test files share a worker's require cache; another one may have loaded them already.
    for (const file of Object.keys(cache)) if (isCompiler(file)) delete cache[file];
    const gateway = await createServer(
      { server: { logLevel: 'silent' }, auth: { enabled: false } },
      { env: {} },
    );
    try {
      const models = await gateway.app.inject({ method: 'GET', url: '/v1/models' });
      expect(models.statusCode).toBe(200);
      const invalid = await gateway.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        payload: { model: 'x' },
      });
      expect(invalid.statusCode).toBe(400);
      expect(Object.keys(cache).filter(isCompiler)).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});
