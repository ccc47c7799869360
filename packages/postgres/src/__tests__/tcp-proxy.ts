import { once } from 'node:events';
import net from 'node:net';

/**
 * A loopback TCP proxy in front of the real PostgreSQL, so a test can make
 * the database "go down" and "come back" without touching the real service.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #up = true;
  #frozen = false;
  readonly #pairs = new Set<[net.Socket, net.Socket]>();
  #cut: { marker: string; resolve: () => void } | undefined;
  connections = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
    this.#server = net.createServer((client) => this.#accept(client));
  }

  async listen(): Promise<number> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Drops every connection and resets new ones until `up()`: the database is "down". */
  down(): void {
    this.#up = false;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  up(): void {
    this.#up = true;
  }

  /**
   * The database stops answering but keeps every connection open (a frozen
   * host, a black-holed network): bytes are held, nothing is refused.
   */
  freeze(): void {
    this.#frozen = true;
    for (const [client, upstream] of this.#pairs) {
      client.pause();
      upstream.pause();
    }
  }

  thaw(): void {
    this.#frozen = false;
    for (const [client, upstream] of this.#pairs) {
      client.resume();
      upstream.resume();
    }
  }

  /**
   * The next query whose text contains `marker` reaches the database and runs
   * there; when the database's answer (ending in ReadyForQuery, i.e. after
   * the commit) comes back, the proxy swallows it and cuts the connection:
   * the work is done but the client never hears so. Resolves at the cut.
   */
  cutAfterCommitOfNext(marker: string): Promise<void> {
    return new Promise((resolve) => {
      this.#cut = { marker, resolve };
    });
  }

  async close(): Promise<void> {
    this.down();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #accept(client: net.Socket): void {
    this.connections++;
    if (!this.#up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.#target);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.#pairs.add(pair);
    if (this.#frozen) {
      client.pause();
      upstream.pause();
    }
    let cutting: (() => void) | undefined;
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
      this.#pairs.delete(pair);
    };
    client.on('data', (chunk: Buffer) => {
      const cut = this.#cut;
      if (cut !== undefined && chunk.includes(cut.marker)) {
        this.#cut = undefined;
        cutting = cut.resolve;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutting !== undefined) {
        // ReadyForQuery ('Z', length 5, status) closes the answer: the statement has committed.
        const z = chunk.length - 6;
        if (z >= 0 && chunk[z] === 0x5a && chunk.readInt32BE(z + 1) === 5) {
          const resolve = cutting;
          cutting = undefined;
          drop();
          resolve();
        }
        return;
      }
      client.write(chunk);
    });
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  }
}

export function targetOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 5432) };
}

/** The same URL, pointed at the proxy. */
export function viaProxy(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}
