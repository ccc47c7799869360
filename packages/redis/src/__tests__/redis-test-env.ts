import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Server, Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { createRedisClient, type RedisClientOptions } from '../create-redis-client.js';

/** Set by CI; without it the Redis suites skip and say so. */
export const REDIS_URL = process.env.REDIS_URL;
export const noRedis = REDIS_URL === undefined || REDIS_URL === '';

export function warnIfSkipped(suite: string): void {
  if (noRedis)
    console.warn(
      `[${suite}] skipped: REDIS_URL is not set (CI sets it; locally try REDIS_URL=redis://127.0.0.1:6379)`,
    );
}

/** A prefix no other test file (or parallel run) uses. */
export function uniquePrefix(name: string): string {
  return `test:${name}:${randomBytes(6).toString('hex')}:`;
}

/** Clients made here are closed by `closeClients`. */
const open: Redis[] = [];

export function client(options: RedisClientOptions = {}, url = REDIS_URL ?? ''): Redis {
  // Generous timeouts against the real server: the machine is shared and busy.
  const c = createRedisClient(url, {
    commandTimeoutMs: 2_000,
    connectTimeoutMs: 2_000,
    ...options,
  });
  open.push(c);
  return c;
}

export async function ready(c: Redis): Promise<Redis> {
  if (c.status === 'ready') return c;
  await new Promise<void>((resolve) => c.once('ready', () => resolve()));
  return c;
}

/** Deletes every key under `prefix` and disconnects every client made by `client()`. */
export async function cleanUp(prefix: string): Promise<void> {
  const admin = open.find((c) => c.status === 'ready');
  if (admin !== undefined) {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await admin.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  for (const c of open.splice(0)) c.disconnect();
}

/** A port on loopback where nothing listens (it was free a moment ago). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP connections and never answers: a frozen Redis. */
export class FrozenServer {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor() {
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * A TCP proxy to the real Redis that can freeze: `hold()` keeps every reply
 * back (Redis still executes the commands — the client just hears nothing),
 * `release()` delivers them in order.
 */
export class RedisProxy {
  readonly #server: Server;
  readonly #pairs = new Set<{ client: Socket; upstream: Socket }>();
  readonly #held = new Map<Socket, Buffer[]>();
  #holding = false;
  port = 0;

  constructor(private readonly target: URL = new URL(REDIS_URL ?? 'redis://127.0.0.1:6379')) {
    this.#server = createServer((clientSocket) => {
      const upstream = new Socket();
      const pair = { client: clientSocket, upstream };
      this.#pairs.add(pair);
      this.#held.set(clientSocket, []);
      upstream.connect(Number(this.target.port || 6379), this.target.hostname);
      clientSocket.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        if (this.#holding) this.#held.get(clientSocket)?.push(chunk);
        else clientSocket.write(chunk);
      });
      const end = (): void => {
        clientSocket.destroy();
        upstream.destroy();
        this.#pairs.delete(pair);
        this.#held.delete(clientSocket);
      };
      for (const s of [clientSocket, upstream]) {
        s.on('error', end);
        s.on('close', end);
      }
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    for (const [socket, chunks] of this.#held) {
      for (const chunk of chunks.splice(0)) socket.write(chunk);
    }
  }

  async close(): Promise<void> {
    for (const { client: c, upstream } of this.#pairs) {
      c.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Collects unhandled rejections while a test runs (any one of them is a failure). */
export function trackUnhandled(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    errors.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  return { errors, stop: () => process.off('unhandledRejection', onRejection) };
}
