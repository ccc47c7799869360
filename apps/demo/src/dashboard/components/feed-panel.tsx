import type { FeedItem } from '../../gateway/event-feed.js';
import { time } from '../format.js';

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

/** The engine's decisions and what came of them, newest first. */
export function FeedPanel({ items }: { items: readonly FeedItem[] }) {
  const newest = [...items].reverse();
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
