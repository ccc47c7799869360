import { ROUTING_STRATEGIES, TASK_TYPES } from '@orchestrator/core';
import { z } from 'zod';

/**
 * The gateway's configuration. Secrets are not part of it: provider keys
 * come from environment variables only, so a config file can be committed.
 * Objects are strict, so a misspelt or misplaced option is an error, not a
 * silently ignored line.
 */

const rateLimits = z.strictObject({
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
});

const budgetPeriod = z.enum(['daily', 'weekly', 'monthly', 'total']);

const providerCommon = {
  /** Base URL of the provider's API; the provider's usual environment variable otherwise. */
  baseURL: z.url().optional(),
  /** Base URLs on loopback or private networks (Ollama, local servers) must be opted into. */
  allowLoopback: z.boolean().default(false),
  /** Extra headers sent with every call (not secrets: keys come from the environment). */
  headers: z.record(z.string(), z.string()).optional(),
  /** `false` keeps the provider out even when its key is set. */
  enabled: z.boolean().default(true),
};

export const providersSchema = z.strictObject({
  openai: z.strictObject({ ...providerCommon }).optional(),
  anthropic: z.strictObject({ ...providerCommon }).optional(),
  google: z.strictObject({ ...providerCommon }).optional(),
  huggingface: z.strictObject({ ...providerCommon, endpointUrl: z.url().optional() }).optional(),
  ollama: z.strictObject({ ...providerCommon, host: z.url().optional() }).optional(),
  azure: z
    .strictObject({
      ...providerCommon,
      service: z.enum(['github', 'foundry']).optional(),
      endpoint: z.url().optional(),
      resourceName: z.string().min(1).optional(),
      apiVersion: z.string().min(1).optional(),
    })
    .optional(),
});

export const PROVIDERS = [
  'openai',
  'anthropic',
  'google',
  'huggingface',
  'ollama',
  'azure',
] as const;
export type ProviderName = (typeof PROVIDERS)[number];

const capability = z.enum([
  'text_generation',
  'chat',
  'code_generation',
  'reasoning',
  'vision',
  'embeddings',
  'tool_calling',
  'json_mode',
  'streaming',
  'image_generation',
  'audio_transcription',
  'audio_translation',
]);

/** Model settings that are safe to store and to accept over the management API (no URLs, no keys). */
export const modelSettingsSchema = z.strictObject({
  capabilities: z
    .strictObject({
      features: z.array(capability).optional(),
      contextWindow: z.number().int().positive().optional(),
      maxOutputTokens: z.number().int().positive().optional(),
      taskTypes: z.array(z.enum(TASK_TYPES)).optional(),
      qualityScore: z.number().min(0).max(1).optional(),
      tokensPerSecond: z.number().positive().optional(),
      firstTokenLatencyMs: z.number().nonnegative().optional(),
    })
    .optional(),
  pricing: z
    .strictObject({
      inputPerMillion: z.number().nonnegative(),
      outputPerMillion: z.number().nonnegative(),
      cachedInputPerMillion: z.number().nonnegative().optional(),
      reasoningPerMillion: z.number().nonnegative().optional(),
      perRequest: z.number().nonnegative().optional(),
      perImage: z.number().nonnegative().optional(),
      perAudioMinute: z.number().nonnegative().optional(),
    })
    .optional(),
  constraints: z
    .strictObject({
      maxCostPerRequest: z.number().positive().optional(),
      rpm: z.number().int().positive().optional(),
      tpm: z.number().int().positive().optional(),
      maxConcurrency: z.number().int().positive().optional(),
      timeoutMs: z.number().int().positive().optional(),
    })
    .optional(),
});
export type ModelSettings = z.infer<typeof modelSettingsSchema>;

const modelName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, 'letters, digits and . _ : / @ - only');

export const modelEntrySchema = z.strictObject({
  /** The name requests use; default the model id. */
  name: modelName.optional(),
  provider: z.enum(PROVIDERS),
  /** The provider's own model id. */
  modelId: z.string().min(1).max(256),
  enabled: z.boolean().default(true),
  ...modelSettingsSchema.shape,
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const gatewayConfigSchema = z.strictObject({
  server: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(8080),
      host: z.string().min(1).default('127.0.0.1'),
      /** Largest request body, bytes; larger ones get 413 while being read. */
      bodyLimitBytes: z.number().int().positive().default(1_048_576),
      /** Largest request head, bytes (Node's `maxHeaderSize`); larger ones get 431. */
      maxHeaderBytes: z.number().int().min(1024).default(16_384),
      /** Origins allowed by CORS. CORS is off unless this lists some. */
      corsOrigins: z.array(z.string().min(1)).default([]),
      /** How long shutdown waits for in-flight requests and streams before aborting them. */
      shutdownGraceMs: z.number().int().nonnegative().default(10_000),
      /** JSON logs at this level. */
      logLevel: z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
      /**
       * Give the heap's spare memory back to the system when idle: two full
       * collections 6 s apart (6–10 ms of pauses in all) once no request has
       * been in flight for `idleMs` (see docs: operations/deployment).
       */
      idleMemoryRelease: z
        .strictObject({
          /** `false` keeps what the heap grew to until the next collection V8 chooses. */
          enabled: z.boolean().default(true),
          /** No request in flight for this long (ms) counts as idle. */
          idleMs: z.number().int().min(100).default(5_000),
          /** Least time (ms) between two releases. */
          minIntervalMs: z.number().int().nonnegative().default(60_000),
          /** Release only when at least this much (bytes) could be given back. */
          minReclaimableBytes: z
            .number()
            .int()
            .nonnegative()
            .default(8 * 1024 * 1024),
        })
        .prefault({}),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** `false` serves everyone as user `local` (a loud warning is logged). */
      enabled: z.boolean().default(true),
      /** The admin key for management routes; else `ORCHESTRATOR_ADMIN_KEY`. Use `${ENV}`. */
      adminKey: z.string().min(16).optional(),
      /** Failed authentications allowed per client address per minute. */
      maxFailuresPerMinute: z.number().int().positive().default(20),
    })
    .prefault({}),
  providers: providersSchema.prefault({}),
  models: z.array(modelEntrySchema).default([]),
  routing: z
    .strictObject({
      defaultStrategy: z.enum(ROUTING_STRATEGIES).default('balanced'),
      /** Task type → preferences, merged over the built-in table task by task. */
      taskRoutes: z
        .partialRecord(
          z.enum(TASK_TYPES),
          z.strictObject({
            requiredCapabilities: z.array(capability).optional(),
            preferredCapabilities: z.array(capability).optional(),
            preferDeclaredTask: z.boolean().optional(),
            /** Case-insensitive regular expressions matched against model names. */
            modelPatterns: z.array(z.string().min(1).max(200)).optional(),
            providers: z.array(z.string()).optional(),
          }),
        )
        .optional(),
      expectedOutputTokens: z.number().int().positive().optional(),
      maxModelsPerRequest: z.number().int().min(1).max(10).default(3),
    })
    .prefault({}),
  limits: z
    .strictObject({
      perModel: rateLimits.optional(),
      perUser: rateLimits.optional(),
      /**
       * What a shared-counter fault means: `open` (default) admits the request
       * (limits protect capacity; a Redis stall must not become an outage),
       * `closed` refuses it (429 `rate_limit_exceeded`, `Retry-After: 1`).
       */
      failMode: z.enum(['open', 'closed']).default('open'),
      /**
       * How long a rate-limit check waits for the shared counter (Redis) before
       * `failMode` decides. Short keeps requests fast during a stall; longer
       * admits fewer requests unchecked. Each such decision is counted in
       * `orchestrator_degraded_decisions_total`.
       */
      storeTimeoutMs: z.number().int().min(1).max(10_000).default(50),
      maxTokens: z.number().int().positive().default(131_072),
      maxMessages: z.number().int().positive().default(1_000),
      maxBatchSize: z.number().int().positive().default(100),
      maxNestingDepth: z.number().int().min(4).default(32),
    })
    .prefault({}),
  budgets: z
    .strictObject({
      maxCostPerRequestUsd: z.number().positive().optional(),
      perUser: z
        .strictObject({ limitUsd: z.number().nonnegative(), period: budgetPeriod })
        .optional(),
      /**
       * What a budget-ledger fault means: `closed` (default) refuses with 503
       * `budget_unavailable` (a budget an outage can bypass is no budget),
       * `open` admits the request unbudgeted.
       */
      failMode: z.enum(['open', 'closed']).default('closed'),
      /**
       * How long a budget reservation waits for the ledger before `failMode`
       * decides (each such decision is counted in
       * `orchestrator_degraded_decisions_total`). A status read that times out
       * leaves `analytics/user` without its budget figure (`budget: null`,
       * `budgetUnavailable`).
       */
      ledgerTimeoutMs: z.number().int().min(1).max(10_000).default(100),
    })
    .prefault({}),
  cache: z
    .strictObject({
      enabled: z.boolean().default(true),
      ttlMs: z.number().int().positive().optional(),
      maxEntries: z.number().int().positive().optional(),
    })
    .prefault({}),
  timeouts: z
    .strictObject({
      totalMs: z.number().int().positive().optional(),
      attemptMs: z.number().int().positive().optional(),
      idleMs: z.number().int().positive().optional(),
    })
    .prefault({}),
  storage: z
    .strictObject({
      /** PostgreSQL URL; else `DATABASE_URL`; else embedded PGlite in `dataDir`. */
      databaseUrl: z.string().min(1).optional(),
      dataDir: z.string().min(1).optional(),
      /** Redis URL for state shared by several instances; else `REDIS_URL`. */
      redisUrl: z.string().min(1).optional(),
      /** Prefix of every Redis key, to share one Redis between deployments. */
      redisKeyPrefix: z.string().min(1).max(100).default('orch:'),
      /**
       * How often each instance pushes its learned selector statistics to Redis
       * and pulls the fleet's (the `learned` strategy). Shorter spreads what
       * one instance learns sooner, at one Redis round trip per period.
       */
      selectorSyncIntervalMs: z.number().int().min(100).max(3_600_000).default(1_000),
    })
    .prefault({}),
  batches: z
    .strictObject({
      /** Items of one batch an instance runs at once. */
      concurrency: z.number().int().min(1).max(64).default(4),
      /**
       * An instance renews its claim on the items it runs every third of this;
       * an item whose claim has not been renewed for this long (its instance
       * died) is taken over by another instance.
       */
      leaseMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
      /**
       * How often each instance looks for unfinished batches (submitted
       * elsewhere, or left by an instance that died). With Redis, a submit
       * also wakes every instance at once.
       */
      pollIntervalMs: z.number().int().min(100).max(600_000).default(5_000),
    })
    .prefault({}),
});

/** The configuration as written (defaults optional). */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
/** The configuration after validation, defaults filled in. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/** JSON Schema of the configuration file (for editors and the docs' config reference). */
export function gatewayConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(gatewayConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
