import { useEffect, useState } from 'preact/hooks';
import type { FeedItem } from '../../gateway/event-feed.js';
import { followFeed } from '../api.js';
import { time } from '../format.js';

const FEED_KEEP = 120;
/** Items arrive by the dozen per second under load; the list redraws at most this often. */
const FLUSH_MS = 400;

const LABELS: Readonly<Record<FeedItem['type'], string>> = {
  decision: 'route',
  retry: 'retry',
  fallback: 'fallback',
  cache_hit: 'cache',
  budget_rejected: 'budget',
  limit_rejected: 'limit',
  complete: 'done',
  failed: 'error',
  breaker: 'breaker',
  lazy: 'loading',
  fault: 'fault',
};

/** The engine's decisions and what came of them, newest first, from the gateway's event stream. */
export function FeedPanel({ apiKey, enabled }: { apiKey: string | undefined; enabled: boolean }) {
  const [items, setItems] = useState<readonly FeedItem[]>([]);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let pending: FeedItem[] = [];
    let lastId = 0;
    setItems([]);
    void followFeed(
      apiKey,
      (item) => {
        // A reconnect replays recent items; keep each once.
        if (item.id <= lastId) return;
        lastId = item.id;
        pending.push(item);
      },
      controller.signal,
    );
    const timer = setInterval(() => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      setItems((current) => [...batch.reverse(), ...current].slice(0, FEED_KEEP));
    }, FLUSH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [apiKey, enabled]);
  const newest = items;
  return (
    <section class="card feed" data-testid="feed">
      <div class="card-head">
        <h2>Routing decisions</h2>
        <span class="muted">live · reasoning, retries, fallbacks, breakers</span>
      </div>
      <ol class="feed-list">
        {newest.length === 0 && (
          <li class="muted empty">Waiting for traffic — send a prompt from the playground.</li>
        )}
        {newest.map((item) => (
          <li key={item.id} class={`feed-item feed-${item.type}`}>
            <span class="feed-time">{time(item.at)}</span>
            <span class={`tag tag-${item.type}`}>{LABELS[item.type]}</span>
            <div class="feed-body">
              <div class="feed-text">{item.text}</div>
              {item.detail && <div class="feed-detail">{item.detail}</div>}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
