import type { StoredModel } from '@orchestrator/postgres';
import {
  type ModelSettings,
  modelSettingsSchema,
  PROVIDERS,
  type ProviderName,
} from '../config/config-schema.js';
import { buildModel } from '../engine/build-model.js';
import type { GatewayContext } from '../gateway-context.js';
import { ApiError } from '../http/api-error.js';

/** Registers a stored model live (replacing one of that name the gateway manages). */
export function activate(
  ctx: GatewayContext,
  stored: Pick<StoredModel, 'name' | 'provider' | 'modelId' | 'settings' | 'enabled'>,
): boolean {
  if (!(PROVIDERS as readonly string[]).includes(stored.provider)) return false;
  const provider = ctx.providers.get(stored.provider as ProviderName);
  if (ctx.registry.has(stored.name)) {
    if (!ctx.managed.has(stored.name))
      throw new ApiError(
        409,
        'model_exists',
        `The model "${stored.name}" is built in and cannot be replaced.`,
        { param: 'name' },
      );
    ctx.registry.unregister(stored.name);
    ctx.managed.delete(stored.name);
  }
  if (!stored.enabled || !provider) return false;
  const settings = modelSettingsSchema.safeParse(stored.settings);
  const model = buildModel(
    {
      name: stored.name,
      provider: stored.provider as ProviderName,
      modelId: stored.modelId,
      settings: (settings.success ? settings.data : {}) as ModelSettings,
    },
    provider,
  );
  ctx.registry.register(model);
  ctx.managed.add(stored.name);
  return true;
}

/** Registers the models stored through the management API (at startup). */
export async function loadStoredModels(ctx: GatewayContext): Promise<void> {
  for (const stored of await ctx.store.models.list()) {
    try {
      activate(ctx, stored);
    } catch (error) {
      ctx.log.warn({ model: stored.name, err: error }, 'stored model not registered');
    }
  }
}
