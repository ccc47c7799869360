import { describe, expect, it } from 'vitest';
import { collectRoutes } from '../scripts/generate-gateway-reference.js';

describe('gateway endpoints reference', () => {
  it("describes every route the server registers in the server's own OpenAPI document", async () => {
    const routes = await collectRoutes();
    // Found from the sources, so a new route cannot be missed by the reference page.
    expect(routes.length).toBeGreaterThan(30);
    const undocumented = routes
      .filter((r) => r.summary === undefined)
      .map((r) => `${r.method} ${r.path}`)
      // The document itself and its rendered page are not API operations.
      .filter((r) => r !== 'GET /openapi.json' && r !== 'GET /docs');
    expect(undocumented).toEqual([]);
  });
});
