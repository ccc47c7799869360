import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import {
  type BudgetLedger,
  type CachedEntry,
  type CacheStore,
  type ChatResponse,
  type CounterStore,
  type Model,
  ModelRegistry,
  type Orchestrator,
} from '@orchestrator/core';
import { createMemoryStore, createStore, type GatewayStore } from '@orchestrator/postgres';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { Authenticator } from './auth/auth-hook.js';
import { FailureLimiter } from './auth/failure-limiter.js';
import type { GatewayConfig, GatewayConfigInput } from './config/config-schema.js';
import { parseConfig } from './config/load-config.js';
import { buildModel, loadAdapters } from './engine/build-model.js';
import { buildOrchestrator } from './engine/build-orchestrator.js';
import { resolveProviders } from './engine/resolve-providers.js';
import { connectSharedState } from './engine/shared-state.js';
import type { GatewayContext, Identity } from './gateway-context.js';
import { newRequestId, recordUsage } from './gateway-context.js';
import { ApiError, dialectOf, errorBody, toApiError } from './http/api-error.js';
import './http/fastify-types.js';
import { registerAnthropicRoutes } from './anthropic/anthropic-routes.js';
import { nestingDepth } from './http/validate.js';
import { registerAdminRoutes } from './management/admin-routes.js';
import { registerManagementRoutes } from './management/model-routes.js';
import { loadStoredModels } from './management/stored-models.js';
import { registerDocsRoutes } from './observability/docs-routes.js';
import { IdleMemoryRelease } from './observability/idle-memory.js';
import { type LogStream, loggerOptions } from './observability/logger.js';
import { GatewayMetrics } from './observability/metrics.js';
import { registerOpenAIRoutes } from './openai/openai-routes.js';
import { BatchRunner } from './orchestrator-api/batch-runner.js';
import { registerOrchestratorRoutes } from './orchestrator-api/orchestrator-routes.js';

export interface CreateServerOptions {
  /**
   * The durable store. Default: PostgreSQL at `storage.databaseUrl` or
   * `DATABASE_URL`, else PGlite in `storage.dataDir`, else memory (nothing
   * survives a restart; a warning says so).
   */
  readonly store?: GatewayStore;
  /** Extra pre-built models (simulated providers, your own `Model` subclasses). */
  readonly models?: readonly Model[];
  /** Environment to read provider keys and URLs from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Shared-state backends (Redis) for the engine's cache, counters and budget ledger. */
  readonly stores?: {
    readonly cache?: CacheStore<CachedEntry<ChatResponse>>;
    readonly counters?: CounterStore;
    readonly ledger?: BudgetLedger;
  };
  /** Where JSON logs go (default stdout). */
  readonly logStream?: LogStream;
  /** Close the store on `close()`. Default: only a store createServer opened itself. */
  readonly ownsStore?: boolean;
}

export interface GatewayServer {
  readonly app: FastifyInstance;
  readonly orchestrator: Orchestrator;
  readonly registry: ModelRegistry;
  readonly store: GatewayStore;
  readonly config: GatewayConfig;
  /** Pushes and pulls the shared selector statistics now (Redis only; otherwise a no-op). */
  syncSharedState(): Promise<void>;
  /** Starts listening; resolves with the address (`http://host:port`). */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting, drains in-flight requests and streams (bounded), flushes usage, closes. */
  close(): Promise<void>;
}

/**
 * Fastify's request logging minus its two lines per request ("incoming
 * request", "request completed"): the gateway writes one access line when a
 * response closes (streams and aborted requests included); Fastify's error
 * logs stay. Logging was ~10% of the gateway's CPU per proxied request in
 * bench/src/gateway.
 */
class AccessLogController extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(): void {}
}

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

/**
 * Fastify's JSON-schema compilers (ajv and fast-json-stringify: ~1.2 MB of
 * live heap, ~3.5 MB RSS at startup) are built when a route first declares a
 * schema instead of with the instance. The gateway's routes validate with zod
 * and declare none, so a gateway never loads them.
 */
function onDemandSchemaCompilers(): CompilersFactory {
  const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));
  return {
    buildValidator: onFirstCall(() =>
      (fastifyRequire('@fastify/ajv-compiler') as () => ValidatorFactory)(),
    ),
    buildSerializer: onFirstCall(() =>
      (fastifyRequire('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)(),
    ),
  };
}

/** A function that makes the real one on its first call and forwards every call to it. */
function onFirstCall<F extends (...args: never[]) => unknown>(make: () => F): F {
  let made: F | undefined;
  return ((...args: Parameters<F>) => {
    made ??= make();
    return made(...args);
  }) as F;
}

/** Builds the gateway: engine, routes, auth, metrics, docs. */
export async function createServer(
  configInput: GatewayConfigInput | GatewayConfig,
  options: CreateServerOptions = {},
): Promise<GatewayServer> {
  const env = options.env ?? process.env;
  const config = parseConfig(configInput, env);
  const databaseUrl = config.storage.databaseUrl ?? (env.DATABASE_URL?.trim() || undefined);
  const store =
    options.store ??
    (databaseUrl !== undefined
      ? await createStore({ url: databaseUrl })
      : config.storage.dataDir !== undefined
        ? await createStore({ dataDir: config.storage.dataDir })
        : createMemoryStore());
  await store.migrate();

  const shared = await connectSharedState(config, env, options.stores);
  const redis = shared.redis;
  const registry = new ModelRegistry();
  const providers = resolveProviders(config, env);
  await loadAdapters(providers.keys());
  const userBudgets: GatewayContext['userBudgets'] = Object.create(null);
  const userLimits: GatewayContext['userLimits'] = Object.create(null);
  const orchestrator = buildOrchestrator(config, registry, userBudgets, userLimits, shared.stores);
  // With Redis, the `learned` strategy's bandit learns from every instance's outcomes.
  const selectorStats =
    redis && shared.redisModule
      ? new shared.redisModule.RedisSelectorStats({
          client: redis,
          selector: orchestrator.learner,
          keyPrefix: `${config.storage.redisKeyPrefix}ucb:`,
          intervalMs: config.storage.selectorSyncIntervalMs,
        })
      : undefined;
  selectorStats?.start();

  const app = Fastify({
    logger: loggerOptions(config.server.logLevel, options.logStream),
    bodyLimit: config.server.bodyLimitBytes,
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    genReqId: () => newRequestId(),
    requestIdHeader: false,
    logController: new AccessLogController(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    schemaController: { compilersFactory: onDemandSchemaCompilers() },
    serverFactory: (handler) =>
      createHttpServer({ maxHeaderSize: config.server.maxHeaderBytes }, handler),
  });

  const metrics = new GatewayMetrics(registry, orchestrator);
  metrics.registry.registerMetric(shared.degraded);
  const ctx: GatewayContext = {
    config,
    registry,
    orchestrator,
    store,
    metrics,
    providers,
    log: app.log,
    managed: new Set(),
    userBudgets,
    userLimits,
  };

  for (const entry of config.models) {
    if (!entry.enabled) continue;
    const provider = providers.get(entry.provider);
    const name = entry.name ?? entry.modelId;
    if (!provider) {
      app.log.info(
        { model: name, provider: entry.provider },
        'model not registered: its provider has no key',
      );
      continue;
    }
    const { name: _n, provider: _p, modelId, enabled: _e, ...settings } = entry;
    registry.register(buildModel({ name, provider: entry.provider, modelId, settings }, provider));
    ctx.managed.add(name);
  }
  for (const model of options.models ?? []) registry.register(model);
  await loadStoredModels(ctx);
  for (const key of await store.keys.list()) {
    if (
      key.revokedAt === null &&
      (key.budgetUsd !== null || key.rpm !== null || key.tpm !== null)
    ) {
      if (key.budgetUsd !== null)
        userBudgets[key.user] = { limitUsd: key.budgetUsd, period: key.budgetPeriod ?? 'monthly' };
      if (key.rpm !== null || key.tpm !== null)
        userLimits[key.user] = {
          ...(key.rpm === null ? {} : { rpm: key.rpm }),
          ...(key.tpm === null ? {} : { tpm: key.tpm }),
        };
    }
  }

  if (shared.down)
    app.log.warn('Redis is not reachable yet: cache misses and limits fail open until it is');
  if (store.kind === 'memory' && options.store === undefined)
    app.log.warn(
      'storage is in memory: keys, models, usage and batches are lost on restart (set storage.dataDir or DATABASE_URL)',
    );
  const adminKey = config.auth.adminKey ?? (env.ORCHESTRATOR_ADMIN_KEY?.trim() || undefined);
  if (!config.auth.enabled)
    app.log.warn(
      'AUTHENTICATION IS OFF: every caller acts as user "local" with admin rights. Never expose this server.',
    );
  else if (adminKey === undefined)
    app.log.info('no admin key configured: management routes need a key with admin rights');
  const auth = new Authenticator(
    ctx,
    adminKey,
    new FailureLimiter(config.auth.maxFailuresPerMinute),
  );
  const cors = new Set(config.server.corsOrigins);
  const inFlight = new Set<AbortController>();
  const memoryRelease = idleMemoryRelease(config.server.idleMemoryRelease, app.log, metrics);

  app.decorateRequest('identity', null as unknown as Identity);
  app.decorateRequest('abort', null as unknown as AbortController);
  app.decorateRequest('usage', null);
  app.decorateRequest('responseClosed', false);

  app.addHook('onRequest', async (request, reply) => {
    const controller = new AbortController();
    request.abort = controller;
    inFlight.add(controller);
    memoryRelease?.requestStarted();
    const started = process.hrtime.bigint();
    const res = reply.raw;
    res.once('close', () => {
      inFlight.delete(controller);
      memoryRelease?.requestEnded();
      // The client went away before the answer was complete: stop the upstream call.
      if (!res.writableFinished) controller.abort(new Error('client disconnected'));
      // Usage rows a route left for after the response (its bytes are out by now).
      request.responseClosed = true;
      const usage = request.usage;
      if (usage !== null) recordUsage(ctx, request.id, request.identity.user, usage);
      const route = request.routeOptions.url ?? 'unmatched';
      const statusCode = res.writableFinished ? res.statusCode : 499;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.requests.inc({ route, method: request.method, status: String(statusCode) });
      metrics.latency.observe({ route, method: request.method }, seconds);
      request.log.info(
        { req: request, res: { statusCode }, responseTime: seconds * 1000 },
        'request completed',
      );
    });
    reply.header('x-request-id', request.id);
    if (dialectOf(request.url) === 'anthropic') reply.header('request-id', request.id);
    const origin = request.headers.origin;
    if (origin !== undefined && cors.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
      reply.header('access-control-expose-headers', 'x-request-id, request-id, retry-after');
      if (request.method === 'OPTIONS') {
        reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
        reply.header(
          'access-control-allow-headers',
          'authorization, content-type, x-api-key, anthropic-version, anthropic-beta, x-orchestrator-strategy, x-stainless-os, x-stainless-lang, x-stainless-package-version, x-stainless-runtime, x-stainless-runtime-version, x-stainless-arch, x-stainless-retry-count, x-stainless-timeout',
        );
        reply.header('access-control-max-age', '600');
        return reply.code(204).send();
      }
    }
    const identity = await auth.authenticate(request);
    request.identity = identity ?? { user: 'anonymous', key: undefined, admin: false };
    return undefined;
  });

  // A callback hook, not an async one: no promise and no extra microtask per request.
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.body !== undefined && request.body !== null && typeof request.body === 'object') {
      if (
        nestingDepth(request.body, config.limits.maxNestingDepth) > config.limits.maxNestingDepth
      ) {
        done(
          new ApiError(
            400,
            'nesting_too_deep',
            `The body nests deeper than ${config.limits.maxNestingDepth} levels.`,
            { param: 'body' },
          ),
        );
        return;
      }
    }
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const api = toApiError(error);
    if (api.status >= 500 && api.code === 'internal_error')
      request.log.error({ err: error }, 'request failed');
    if (api.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(api.retryAfterSeconds));
    return reply.code(api.status).send(errorBody(dialectOf(request.url), api, request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    const api = new ApiError(
      404,
      'route_not_found',
      `No route ${request.method} ${request.url.split('?')[0]}.`,
    );
    return reply.code(404).send(errorBody(dialectOf(request.url), api, request.id));
  });

  const batches = new BatchRunner(ctx, { ...config.batches, wakeup: shared.batchSignal });
  registerOpenAIRoutes(app, ctx);
  registerAnthropicRoutes(app, ctx);
  registerOrchestratorRoutes(app, ctx, batches);
  registerManagementRoutes(app, ctx);
  registerAdminRoutes(app, ctx, auth);
  registerDocsRoutes(app, ctx);
  await app.ready();
  await batches.startBackground();

  let closing: Promise<void> | undefined;
  return {
    app,
    orchestrator,
    registry,
    store,
    config,
    async syncSharedState() {
      await selectorStats?.sync();
    },
    async listen(opts = {}) {
      const url = await app.listen({
        port: opts.port ?? config.server.port,
        host: opts.host ?? config.server.host,
      });
      memoryRelease?.start();
      return url;
    },
    close() {
      closing ??= (async () => {
        const grace = setTimeout(() => {
          // Past the grace period, abort what is still running so close() is bounded.
          for (const c of inFlight) c.abort(new Error('server shutting down'));
          batches.abort();
          app.server.closeAllConnections();
        }, config.server.shutdownGraceMs);
        grace.unref();
        memoryRelease?.stop();
        batches.stop();
        await app.close();
        await batches.idle();
        clearTimeout(grace);
        await store.usage.flush();
        if (options.ownsStore ?? options.store === undefined) await store.close();
        await selectorStats?.close();
        redis?.disconnect();
      })();
      return closing;
    },
  };
}

/** The idle memory release the config asks for, logging and counting what it does. */
function idleMemoryRelease(
  settings: GatewayConfig['server']['idleMemoryRelease'],
  log: FastifyBaseLogger,
  metrics: GatewayMetrics,
): IdleMemoryRelease | undefined {
  if (!settings.enabled) return undefined;
  return new IdleMemoryRelease({
    ...settings,
    onCollected(outcome) {
      if (outcome.ok) {
        metrics.idleReleases.inc();
        log.debug(
          {
            reclaimableBytes: outcome.reclaimableBefore,
            pauseMs: Math.round(outcome.pauseMs * 10) / 10,
            rssBytes: process.memoryUsage.rss(),
          },
          'idle: heap memory given back',
        );
      } else
        log.warn(
          { err: outcome.error },
          'idle memory release is off: this process cannot run a full collection on demand',
        );
    },
  });
}
