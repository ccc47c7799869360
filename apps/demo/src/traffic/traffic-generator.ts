import type { RoutingStrategy } from '@orchestrator/core';
import { FLEET, type Fleet, type FleetProvider } from '../simulated/index.js';
import { executeRequest, isLoopbackUrl } from './execute-request.js';
import { pickPrompts, seededRandom, type WorkloadPrompt } from './workload.js';

/** A user of the generated workload, with the budget and limits its key carries. */
export interface TrafficUser {
  readonly user: string;
  readonly budgetUsd?: number;
  readonly budgetPeriod?: 'daily' | 'total';
  readonly rpm?: number;
  /** The strategies this user's requests ask for. */
  readonly strategies: readonly RoutingStrategy[];
}

// alice's small total budget runs out during a run (budget rejections),
// carol's RPM limit trips the rate limiter now and then, bob spends on quality.
export const TRAFFIC_USERS: readonly TrafficUser[] = [
  {
    user: 'alice',
    budgetUsd: 0.03,
    budgetPeriod: 'total',
    strategies: ['quality_optimal', 'balanced', 'learned'],
  },
  {
    user: 'bob',
    budgetUsd: 2,
    budgetPeriod: 'daily',
    strategies: ['quality_optimal', 'learned', 'balanced'],
  },
  { user: 'carol', rpm: 30, strategies: ['cost_optimal', 'performance_optimal', 'learned'] },
];

/** Shares of the traffic per user, in `TRAFFIC_USERS` order. */
const USER_WEIGHTS = [0.35, 0.45, 0.2] as const;
/** Share of requests that repeat an earlier one word for word, same user and strategy: the cache hits. */
const REPEAT_SHARE = 0.18;

function pickUser(random: () => number): TrafficUser {
  let roll = random();
  for (const [i, weight] of USER_WEIGHTS.entries()) {
    roll -= weight;
    if (roll < 0) return TRAFFIC_USERS[i]!;
  }
  return TRAFFIC_USERS[TRAFFIC_USERS.length - 1]!;
}

export interface TrafficOptions {
  readonly url: string;
  /** Admin key, to create the users' keys; undefined when auth is off (everyone is "local"). */
  readonly adminKey: string | undefined;
  readonly fleet: Fleet | undefined;
  /** How many requests in all (bounded). Default 400. */
  readonly requests?: number;
  /** Requests in flight at once. Default 3. */
  readonly concurrency?: number;
  /** Pause between a worker's requests, ms (scaled by a random factor). Default 600. */
  readonly pauseMs?: number;
  /** After this many requests, the busiest simulated provider suffers an outage… */
  readonly outageAfter?: number;
  /** …for this long, ms. Default 20 s. */
  readonly outageMs?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface TrafficReport {
  readonly sent: number;
  readonly succeeded: number;
  readonly rejected: Readonly<Record<string, number>>;
}

const KEY_NAME = 'demo-traffic';

async function admin(url: string, adminKey: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}`);
  return res.status === 204 ? undefined : ((await res.json()) as unknown);
}

/** Creates this run's user keys (revoking the previous run's), or none when auth is off. */
async function userKeys(o: TrafficOptions): Promise<Map<string, string | undefined>> {
  const keys = new Map<string, string | undefined>();
  if (o.adminKey === undefined) {
    for (const u of TRAFFIC_USERS) keys.set(u.user, undefined);
    return keys;
  }
  const listed = (await admin(o.url, o.adminKey, 'GET', '/api/admin/keys')) as {
    keys: { id: string; name: string | null; revokedAt: string | null }[];
  };
  for (const k of listed.keys)
    if (k.name === KEY_NAME && k.revokedAt === null)
      await admin(o.url, o.adminKey, 'DELETE', `/api/admin/keys/${k.id}`);
  for (const u of TRAFFIC_USERS) {
    const created = (await admin(o.url, o.adminKey, 'POST', '/api/admin/keys', {
      user: u.user,
      name: KEY_NAME,
      ...(u.budgetUsd === undefined
        ? {}
        : { budgetUsd: u.budgetUsd, budgetPeriod: u.budgetPeriod }),
      ...(u.rpm === undefined ? {} : { rpm: u.rpm }),
    })) as { key: string };
    keys.set(u.user, created.key);
  }
  return keys;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    // One listener per wait, removed when the wait ends: the signal lives for the whole run.
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A bounded, loopback-only workload for the dashboard: a few users with
 * budgets and limits sending prompts of every task type and complexity
 * under several strategies, rating some answers (so `learned` routing has
 * feedback to learn from), with one injected outage halfway to show the
 * breaker and fallback at work.
 */
export async function runTraffic(o: TrafficOptions): Promise<TrafficReport> {
  if (!isLoopbackUrl(o.url))
    throw new Error('The traffic generator only talks to a gateway on loopback.');
  const log = o.log ?? (() => {});
  const total = o.requests ?? 400;
  const random = seededRandom(o.seed ?? 11);
  const prompts = pickPrompts(total, random);
  const keys = await userKeys(o);
  const rejected: Record<string, number> = {};
  const usage = new Map<FleetProvider, number>();
  let sent = 0;
  let succeeded = 0;
  let outage: FleetProvider | undefined;
  const history: { item: WorkloadPrompt; user: TrafficUser; strategy: RoutingStrategy }[] = [];
  const outageAfter = o.outageAfter ?? Math.floor(total / 3);
  log(`traffic: ${total} requests from ${TRAFFIC_USERS.map((u) => u.user).join(', ')}`);

  const maybeOutage = (): void => {
    const fleet = o.fleet;
    if (!fleet || outage !== undefined || sent < outageAfter) return;
    const busiest = [...usage.entries()]
      .filter(([p]) => fleet.isSimulated(p))
      .sort((a, b) => b[1] - a[1])[0]?.[0];
    if (!busiest) return;
    outage = busiest;
    fleet.inject(busiest, 'outage');
    log(
      `traffic: injected an outage into simulated ${busiest} for ${(o.outageMs ?? 20_000) / 1000} s`,
    );
    const timer = setTimeout(() => {
      fleet.recover(busiest);
      log(`traffic: simulated ${busiest} recovered`);
    }, o.outageMs ?? 20_000);
    timer.unref();
  };

  const worker = async (): Promise<void> => {
    while (sent < total && !o.signal?.aborted) {
      let item = prompts[sent++]!;
      let user = pickUser(random);
      let strategy = user.strategies[Math.floor(random() * user.strategies.length)]!;
      if (history.length > 5 && random() < REPEAT_SHARE) {
        ({ item, user, strategy } = history[Math.floor(random() * history.length)]!);
      } else {
        history.push({ item, user, strategy });
      }
      const outcome = await executeRequest(o.url, keys.get(user.user), {
        messages: [{ role: 'user', content: item.prompt }],
        strategy,
        maxTokens: 400,
      });
      if (outcome.ok) {
        succeeded++;
        const spec = FLEET.find((s) => s.name === outcome.model);
        if (spec) usage.set(spec.provider, (usage.get(spec.provider) ?? 0) + 1);
        // A user rates about a third of the answers, by the model's quality on this task plus noise.
        if (spec && outcome.requestId && !outcome.cached && random() < 0.35) {
          const prior = spec.qualityByTask[item.task] ?? spec.profile.quality;
          const score = Math.min(1, Math.max(0, prior + (random() - 0.5) * 0.2));
          void sendFeedback(o.url, keys.get(user.user), outcome.requestId, score);
        }
      } else {
        const code = outcome.errorCode ?? String(outcome.status);
        rejected[code] = (rejected[code] ?? 0) + 1;
      }
      maybeOutage();
      await sleep((o.pauseMs ?? 600) * (0.5 + random()), o.signal);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 3 }, worker));
  if (outage !== undefined) o.fleet?.recover(outage);
  log(
    `traffic: done — ${succeeded}/${sent} answered${Object.keys(rejected).length ? `, rejected: ${JSON.stringify(rejected)}` : ''}`,
  );
  return { sent, succeeded, rejected };
}

async function sendFeedback(
  url: string,
  key: string | undefined,
  requestId: string,
  score: number,
): Promise<void> {
  // The usage row the gateway checks feedback against is written through an outbox; give it a moment.
  await sleep(1_500);
  await fetch(`${url}/api/v1/orchestrator/feedback`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify({ requestId, score }),
  }).catch(() => undefined);
}
