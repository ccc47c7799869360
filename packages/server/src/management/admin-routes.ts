import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createApiKey, publicKeyView } from '../auth/api-keys.js';
import type { Authenticator } from '../auth/auth-hook.js';
import type { GatewayContext } from '../gateway-context.js';
import { ApiError } from '../http/api-error.js';
import { parseBody } from '../http/validate.js';

export const createKeySchema = z.strictObject({
  user: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  allowedModels: z.array(z.string().min(1)).max(1000).nullable().optional(),
  budgetUsd: z.number().nonnegative().nullable().optional(),
  budgetPeriod: z.enum(['daily', 'weekly', 'monthly', 'total']).optional(),
  rpm: z.number().int().positive().nullable().optional(),
  tpm: z.number().int().positive().nullable().optional(),
  admin: z.boolean().optional(),
});

/** Key management, for the admin key (or keys with admin rights) only. */
export function registerAdminRoutes(
  app: FastifyInstance,
  ctx: GatewayContext,
  auth: Authenticator,
): void {
  app.post('/api/admin/keys', async (request, reply) => {
    const body = parseBody(createKeySchema, request.body);
    const { key, record } = await createApiKey(ctx.store, {
      user: body.user,
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.allowedModels === undefined ? {} : { allowedModels: body.allowedModels }),
      ...(body.budgetUsd === undefined ? {} : { budgetUsd: body.budgetUsd }),
      ...(body.budgetPeriod === undefined ? {} : { budgetPeriod: body.budgetPeriod }),
      ...(body.rpm === undefined ? {} : { rpm: body.rpm }),
      ...(body.tpm === undefined ? {} : { tpm: body.tpm }),
      ...(body.admin === undefined ? {} : { admin: body.admin }),
    });
    auth.apply(record);
    reply.code(201);
    // The key is in this response and nowhere else, ever.
    return { key, ...publicKeyView(record) };
  });

  app.get<{ Querystring: { user?: string } }>('/api/admin/keys', async (request) => ({
    keys: (await ctx.store.keys.list(request.query.user)).map(publicKeyView),
  }));

  app.delete<{ Params: { id: string } }>('/api/admin/keys/:id', async (request, reply) => {
    if (!(await ctx.store.keys.revoke(request.params.id)))
      throw new ApiError(404, 'key_not_found', 'No active key with that id.', { param: 'id' });
    auth.forget();
    reply.code(204);
  });
}
