import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

/** Every child this benchmark started, killed at the end even on failure. */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: the parent exits (error, Ctrl-C) with children still alive.
  process.once('exit', () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      process.exit(130);
    });
}

/** `taskset` when the machine has it and at least two cores; otherwise no pinning. */
export function tasksetAvailable(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins every thread of this process (the load generator) to `core`. */
export function pinSelf(core: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

export interface SpawnedNode {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The last lines the child wrote to stderr (for error reports). */
  readonly stderrTail: () => string;
}

/**
 * Starts `node <args>` with an IPC channel, pinned to `core` with taskset when
 * given. taskset execs node, so the pid is node's own.
 */
export function spawnNode(
  nodeArgs: readonly string[],
  options: { core: number | undefined; cwd: string; env: Readonly<Record<string, string>> },
): SpawnedNode {
  installExitHook();
  const command = options.core === undefined ? process.execPath : 'taskset';
  const args =
    options.core === undefined
      ? [...nodeArgs]
      : ['-c', String(options.core), process.execPath, ...nodeArgs];
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...options.env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return { child, pid: child.pid, stderrTail: () => tail };
}

/** Waits for the child's first IPC message of `type`. */
export function waitForMessage<T>(
  spawned: SpawnedNode,
  type: string,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `child ${spawned.pid} sent no '${type}' in ${timeoutMs} ms\n${spawned.stderrTail()}`,
        ),
      );
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      if (
        typeof message === 'object' &&
        message !== null &&
        (message as { type?: unknown }).type === type
      ) {
        cleanup();
        resolve(message as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(
        new Error(
          `child ${spawned.pid} exited (${code}) before '${type}'\n${spawned.stderrTail()}`,
        ),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      spawned.child.off('message', onMessage);
      spawned.child.off('exit', onExit);
    };
    spawned.child.on('message', onMessage);
    spawned.child.once('exit', onExit);
  });
}

/** Polls `url` with GET until it answers (any status), or fails after `timeoutMs`. */
export async function waitForHttp(
  url: string,
  spawned: SpawnedNode,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawned.child.exitCode !== null)
      throw new Error(
        `child ${spawned.pid} exited (${spawned.child.exitCode})\n${spawned.stderrTail()}`,
      );
    const ok = await new Promise<boolean>((resolve) => {
      const req = request(url, { method: 'GET', timeout: 1_000 }, (res) => {
        res.resume();
        res.once('end', () => resolve(true));
      });
      req.once('error', () => resolve(false));
      req.once('timeout', () => req.destroy());
      req.end();
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms\n${spawned.stderrTail()}`);
}

/** Kills every child still running: SIGTERM, then SIGKILL after `graceMs`. */
export async function killAll(graceMs = 2_000): Promise<void> {
  const alive = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    alive.map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
          }, graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** A free TCP port on 127.0.0.1 (free when asked; the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let clockTicks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat CPU times (`getconf CLK_TCK`, usually 100). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU time of a process so far, µs, from /proc/<pid>/stat. */
export function cpuTimeUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / ticksPerSecond();
}

/** Resident set size and its peak so far (VmRSS, VmHWM), bytes, from /proc/<pid>/status. */
export function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

/** Samples a process's RSS every `everyMs` until stopped; returns the highest seen. */
export function sampleRss(pid: number, everyMs = 50): () => number {
  let max = memory(pid).rss;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, memory(pid).rss);
    } catch {
      // The process is gone; keep what was seen.
    }
  }, everyMs);
  return () => {
    clearInterval(timer);
    try {
      max = Math.max(max, memory(pid).rss);
    } catch {}
    return max;
  };
}
