import { readSse, type SseEvent } from '../cli/read-sse.js';
import type { DashboardSnapshot } from '../gateway/dashboard-snapshot.js';
import type { FeedItem } from '../gateway/event-feed.js';

const KEY_STORAGE = 'orchestrator-demo-key';

/**
 * The key the page calls the gateway with. The banner prints the dashboard
 * URL with the key in its fragment (`#key=…`): fragments never reach a
 * server or its logs. The page moves it to session storage and clears the
 * address bar.
 */
export function takeKey(): string | undefined {
  const match = /(?:^|[#&])key=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(KEY_STORAGE, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY_STORAGE) ?? undefined;
}

export function saveKey(key: string): void {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function headers(key: string | undefined, json = false): Record<string, string> {
  return {
    ...(key ? { authorization: `Bearer ${key}` } : {}),
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
}

async function failure(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  return new ApiFailure(res.status, body.error?.message ?? `HTTP ${res.status}`);
}

export async function fetchSnapshot(key: string | undefined): Promise<DashboardSnapshot> {
  const res = await fetch('/demo/api/snapshot', { headers: headers(key) });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as DashboardSnapshot;
}

export async function setFault(
  key: string | undefined,
  provider: string,
  fault: string | null,
): Promise<void> {
  const res = await fetch(`/demo/api/faults/${provider}`, {
    method: fault === null ? 'DELETE' : 'POST',
    headers: headers(key, fault !== null),
    ...(fault === null ? {} : { body: JSON.stringify({ fault }) }),
  });
  if (!res.ok) throw await failure(res);
}

/** Follows the engine's event feed until `signal` aborts; reconnects when the stream drops. */
export async function followFeed(
  key: string | undefined,
  onItem: (item: FeedItem) => void,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await fetch('/demo/api/feed', { headers: headers(key), signal });
      if (!res.ok || !res.body) throw await failure(res);
      for await (const event of readSse(res.body)) onItem(JSON.parse(event.data) as FeedItem);
    } catch {
      // Dropped or refused: wait a little and reconnect, unless the page is closing.
    }
    if (!signal.aborted) await new Promise((r) => setTimeout(r, 1_500));
  }
}

export interface PlaygroundRequest {
  readonly prompt: string;
  readonly strategy: string;
  readonly model: string;
  readonly task: string;
}

/** Streams a playground request through the orchestrator API; yields its server-sent events. */
export async function* streamChat(
  key: string | undefined,
  request: PlaygroundRequest,
  signal: AbortSignal,
): AsyncGenerator<SseEvent> {
  const res = await fetch('/api/v1/orchestrator/chat/stream', {
    method: 'POST',
    headers: headers(key, true),
    body: JSON.stringify({
      messages: [{ role: 'user', content: request.prompt }],
      maxTokens: 400,
      ...(request.strategy === 'auto' ? {} : { strategy: request.strategy }),
      ...(request.model === 'auto' ? {} : { model: request.model }),
      ...(request.task === 'auto' ? {} : { taskType: request.task }),
      // The playground shows a fresh answer each time; traffic shows the cache.
      cache: false,
    }),
    signal,
  });
  if (!res.ok || !res.body) throw await failure(res);
  yield* readSse(res.body);
}
