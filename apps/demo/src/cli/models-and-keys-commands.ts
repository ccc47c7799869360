import type { ModelCapabilities, ModelHealth, ModelPricing } from '@orchestrator/core';
import type { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';
import { formatTable, ms, pct } from './format-table.js';

interface CapabilityRow {
  readonly name: string;
  readonly provider: string;
  readonly capabilities: ModelCapabilities;
  readonly pricing: ModelPricing;
  readonly health: ModelHealth | undefined;
}

interface AnalyticsRow {
  readonly model: string;
  readonly requests: number;
  readonly successRate: number;
  readonly latencyP50Ms: number | undefined;
}

const SHORT: Readonly<Record<string, string>> = {
  code_generation: 'code',
  reasoning: 'reason',
  vision: 'vision',
  tool_calling: 'tools',
  json_mode: 'json',
  embeddings: 'embed',
  streaming: 'stream',
};

const perMillion = (n: number): string =>
  n === 0 ? 'free' : `$${n < 1 ? n.toFixed(3) : n.toFixed(2)}`;
const tokens = (n: number): string =>
  n >= 1_000_000 ? `${n / 1_000_000}M` : `${Math.round(n / 1000)}k`;

/** `orchestrator models`: every model with capabilities, prices and health. */
export async function modelsCommand(ctx: CliContext): Promise<number> {
  const client = ctx.client();
  const [{ models }, analytics] = await Promise.all([
    client.json<{ models: CapabilityRow[] }>('GET', '/api/v1/orchestrator/models/capabilities'),
    client.json<{ models: AnalyticsRow[] }>('GET', '/api/v1/orchestrator/analytics/models'),
  ]);
  const stats = new Map(analytics.models.map((a) => [a.model, a]));
  ctx.out(
    formatTable(models, [
      { header: 'model', value: (m) => m.name },
      { header: 'provider', value: (m) => m.provider },
      {
        header: 'capabilities',
        value: (m) =>
          m.capabilities.features
            .map((f) => SHORT[f])
            .filter((f) => f !== undefined)
            .join(' '),
      },
      { header: 'context', value: (m) => tokens(m.capabilities.contextWindow), align: 'right' },
      { header: 'in $/M', value: (m) => perMillion(m.pricing.inputPerMillion), align: 'right' },
      { header: 'out $/M', value: (m) => perMillion(m.pricing.outputPerMillion), align: 'right' },
      { header: 'quality', value: (m) => m.capabilities.qualityScore.toFixed(2), align: 'right' },
      {
        header: 'health',
        value: (m) => (m.health ? `${m.health.status} (${m.health.breaker})` : '–'),
      },
      {
        header: 'requests',
        value: (m) => String(stats.get(m.name)?.requests ?? 0),
        align: 'right',
      },
      {
        header: 'success',
        value: (m) => (stats.get(m.name)?.requests ? pct(stats.get(m.name)?.successRate) : '–'),
        align: 'right',
      },
      { header: 'p50', value: (m) => ms(stats.get(m.name)?.latencyP50Ms), align: 'right' },
    ]),
  );
  ctx.err(ctx.dim(`${models.length} models. Prices are list prices per million tokens.`));
  return 0;
}

interface KeyView {
  readonly id: string;
  readonly prefix: string;
  readonly user: string;
  readonly name: string | null;
  readonly budgetUsd: number | null;
  readonly budgetPeriod: string | null;
  readonly rpm: number | null;
  readonly admin: boolean;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface KeyCreateOptions {
  readonly user: string;
  readonly name: string | undefined;
  readonly budgetUsd: number | undefined;
  readonly period: string | undefined;
  readonly rpm: number | undefined;
  readonly admin: boolean;
}

/** `orchestrator keys create`: a new key, printed once. */
export async function keysCreateCommand(ctx: CliContext, o: KeyCreateOptions): Promise<number> {
  const created = await ctx.client().json<KeyView & { key: string }>('POST', '/api/admin/keys', {
    user: o.user,
    ...(o.name === undefined ? {} : { name: o.name }),
    ...(o.budgetUsd === undefined ? {} : { budgetUsd: o.budgetUsd }),
    ...(o.period === undefined ? {} : { budgetPeriod: o.period }),
    ...(o.rpm === undefined ? {} : { rpm: o.rpm }),
    ...(o.admin ? { admin: true } : {}),
  });
  // The key on stdout alone, so `KEY=$(orchestrator keys create --user x)` works.
  ctx.out(created.key);
  ctx.err(
    ctx.dim(
      `created key ${created.id} for user "${created.user}"${created.budgetUsd === null ? '' : ` with a ${created.budgetPeriod} budget of $${created.budgetUsd}`}. It is shown this once; the gateway stores only its hash.`,
    ),
  );
  return 0;
}

/** `orchestrator keys list` */
export async function keysListCommand(ctx: CliContext, user: string | undefined): Promise<number> {
  const query = user === undefined ? '' : `?user=${encodeURIComponent(user)}`;
  const { keys } = await ctx.client().json<{ keys: KeyView[] }>('GET', `/api/admin/keys${query}`);
  if (keys.length === 0) {
    ctx.err('No keys yet. Create one with `orchestrator keys create --user <name>`.');
    return 0;
  }
  ctx.out(
    formatTable(keys, [
      { header: 'id', value: (k) => k.id },
      { header: 'prefix', value: (k) => `${k.prefix}…` },
      { header: 'user', value: (k) => k.user },
      { header: 'name', value: (k) => k.name ?? '' },
      {
        header: 'budget',
        value: (k) => (k.budgetUsd === null ? '–' : `$${k.budgetUsd} ${k.budgetPeriod ?? ''}`),
      },
      { header: 'rpm', value: (k) => (k.rpm === null ? '–' : String(k.rpm)), align: 'right' },
      { header: 'admin', value: (k) => (k.admin ? 'yes' : '') },
      { header: 'status', value: (k) => (k.revokedAt === null ? 'active' : 'revoked') },
    ]),
  );
  return 0;
}

/** `orchestrator keys revoke <id>` */
export async function keysRevokeCommand(ctx: CliContext, id: string): Promise<number> {
  if (!/^[0-9a-f-]{36}$/i.test(id))
    throw new CliError(
      `"${id}" is not a key id (ids look like 3f6c…-…; see \`orchestrator keys list\`).`,
      2,
    );
  await ctx.client().json<undefined>('DELETE', `/api/admin/keys/${encodeURIComponent(id)}`);
  ctx.out(`revoked ${id}`);
  return 0;
}
