import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { createStore, type GatewayStore, type SqlGatewayStore } from '@orchestrator/postgres';
import { createRedisClient, whenRedisReady } from '@orchestrator/redis';
import { FakeAnthropicServer, FakeOpenAIServer } from '@orchestrator/testing';
import { type CreateApiKeyOptions, createApiKey } from './auth/api-keys.js';
import type { GatewayConfigInput } from './config/config-schema.js';
import { createServer, type GatewayServer } from './create-server.js';

const OPENAI_KEY = 'sk-proj-UPSTREAMOPENAI0123456789abcdef';
const ANTHROPIC_KEY = 'sk-ant-api03-UPSTREAMANTHROPIC0123456789';
const ADMIN_KEY = 'admin-key-0123456789abcdefghijklmnop';

/** One gateway of the fleet, with its own connection pool to the shared database. */
export interface Instance {
  readonly name: string;
  readonly gateway: GatewayServer;
  readonly url: string;
  readonly store: SqlGatewayStore;
  readonly logs: string[];
}

/** Several gateways on loopback sharing one Redis, one PostgreSQL schema and the same fake upstreams. */
export interface Fleet {
  readonly instances: readonly Instance[];
  /** Round-robin: instance `i % n`. */
  at(i: number): Instance;
  readonly openai: FakeOpenAIServer;
  readonly anthropic: FakeAnthropicServer;
  /** The Redis key prefix every instance uses (unique to this fleet). */
  readonly prefix: string;
  /** The PostgreSQL schema every instance uses (unique to this fleet). */
  readonly schema: string;
  /** A Redis connection of the test's own, for assertions behind the gateways' backs. */
  readonly redis: ReturnType<typeof createRedisClient>;
  /** A client key, stored once in the shared database: every instance accepts it. */
  key(user: string, options?: Omit<CreateApiKeyOptions, 'user'>): Promise<string>;
  /** Closes every gateway, store, fake server and connection, deletes the Redis keys and drops the schema. */
  close(): Promise<void>;
}

/** The minimum of `pg` the cleanup needs (the driver is @orchestrator/postgres's dependency, not ours). */
interface PgPool {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
interface PgModule {
  readonly Pool: new (config: { connectionString: string; max: number }) => PgPool;
}

function loadPg(): PgModule {
  // Resolved through @orchestrator/postgres, the package that depends on pg.
  const require = createRequire(
    new URL('../node_modules/@orchestrator/postgres/package.json', import.meta.url),
  );
  return require('pg') as PgModule;
}

async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const pool = new (loadPg().Pool)({ connectionString: databaseUrl, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}

async function deleteKeys(redis: ReturnType<typeof createRedisClient>, prefix: string) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export interface FleetOptions {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly size?: number;
  /** Models besides the defaults (`gpt-4o-mini` and `claude-haiku`). */
  readonly models?: NonNullable<GatewayConfigInput['models']>;
  /** Batch settings of every instance (short leases let a test watch a takeover). */
  readonly batches?: GatewayConfigInput['batches'];
  /**
   * What each gateway is given as its store (default the instance's own pool):
   * a test wraps it to watch, or to cut an instance off from the database.
   */
  readonly wrapStore?: (store: SqlGatewayStore, name: string) => GatewayStore;
}

/**
 * Starts `size` (3) gateways in-process on loopback. They share one Redis
 * (cache, counters, budget ledger, selector statistics, under a random key
 * prefix) and one PostgreSQL (keys, usage, batches, in a random schema that
 * `createStore` creates), and call the same fake OpenAI and Anthropic servers
 * through the real adapters.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const tag = randomBytes(5).toString('hex');
  const prefix = `orch-test-three-${tag}:`;
  const schema = `orch_test_three_${tag}`;
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    // In reverse order of creation; every step runs even if an earlier one failed.
    const errors: unknown[] = [];
    for (const step of cleanups.reverse()) await step().catch((e: unknown) => errors.push(e));
    cleanups.length = 0;
    if (errors.length > 0) throw new AggregateError(errors, 'fleet cleanup failed');
  };
  try {
    const redis = createRedisClient(options.redisUrl, {
      commandTimeoutMs: 2_000,
      connectTimeoutMs: 2_000,
    });
    cleanups.push(async () => {
      try {
        await deleteKeys(redis, prefix);
      } finally {
        redis.disconnect();
      }
    });
    await whenRedisReady(redis, 5_000);

    const openai = new FakeOpenAIServer({ auth: { apiKey: OPENAI_KEY } });
    const anthropic = new FakeAnthropicServer({ apiKey: ANTHROPIC_KEY });
    await openai.start();
    cleanups.push(() => openai.close());
    await anthropic.start();
    cleanups.push(() => anthropic.close());

    // The schema is dropped last (after every pool to it has closed), even when a store failed to open.
    cleanups.push(() => dropSchema(options.databaseUrl, schema));
    const size = options.size ?? 3;
    // Concurrently, like a fleet starting together: migrations queue on their advisory lock.
    const stores = await Promise.all(
      Array.from({ length: size }, async () => {
        const store = await createStore({
          url: options.databaseUrl,
          schema,
          pool: { max: 4 },
          closeTimeoutMs: 2_000,
        });
        cleanups.push(() => store.close());
        return store;
      }),
    );

    const instances: Instance[] = [];
    for (const [i, store] of stores.entries()) {
      const name = String.fromCharCode(65 + i);
      const logs: string[] = [];
      const logStream = new Writable({
        write(chunk: Buffer, _enc, cb) {
          logs.push(chunk.toString());
          cb();
        },
      });
      const gateway = await createServer(
        {
          server: { logLevel: 'warn', shutdownGraceMs: 2_000 },
          auth: { adminKey: ADMIN_KEY },
          providers: {
            openai: { baseURL: openai.baseURL, allowLoopback: true },
            anthropic: { baseURL: anthropic.url, allowLoopback: true },
          },
          models: [
            { name: 'gpt-4o-mini', provider: 'openai', modelId: 'gpt-4o-mini' },
            { name: 'claude-haiku', provider: 'anthropic', modelId: 'claude-3-5-haiku-20241022' },
            ...(options.models ?? []),
          ],
          storage: { redisUrl: options.redisUrl, redisKeyPrefix: prefix },
          ...(options.batches === undefined ? {} : { batches: options.batches }),
        },
        {
          store: options.wrapStore?.(store, name) ?? store,
          env: { OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY },
          logStream,
        },
      );
      cleanups.push(() => gateway.close());
      const url = await gateway.listen({ port: 0, host: '127.0.0.1' });
      instances.push({ name, gateway, url, store, logs });
    }

    const first = stores[0]!;
    return {
      instances,
      at: (i) => instances[i % instances.length]!,
      openai,
      anthropic,
      prefix,
      schema,
      redis,
      async key(user, more = {}) {
        return (await createApiKey(first, { ...more, user })).key;
      },
      close,
    };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
