/**
 * How a simulated model behaves when no script says otherwise: its speed,
 * price, quality and failure pattern. The demo and the benchmarks use these.
 */
export interface ModelProfile {
  /** Latency before the first byte, in ms (mean). */
  readonly latencyMs?: number;
  /** Relative jitter of the latency, 0–1. */
  readonly latencyJitter?: number;
  /** Output speed of streamed answers. */
  readonly tokensPerSecond?: number;
  /** Probability that a request fails with a 500 (or 529 for Anthropic). */
  readonly failureRate?: number;
  /** Probability that a request is rate limited (429 with Retry-After). */
  readonly rateLimitRate?: number;
  /** Quality in [0, 1]; lower quality makes shorter, vaguer simulated answers. */
  readonly quality?: number;
  /** Length of a typical answer in tokens. */
  readonly answerTokens?: number;
}

export const DEFAULT_PROFILE: Required<ModelProfile> = {
  latencyMs: 0,
  latencyJitter: 0,
  tokensPerSecond: 0,
  failureRate: 0,
  rateLimitRate: 0,
  quality: 0.8,
  answerTokens: 40,
};

/**
 * The behaviour a profile implies for one request when no script was queued:
 * a latency drawn around the mean, and now and then a failure or a rate limit.
 */
export function scriptFromProfile(
  profile: Required<ModelProfile>,
  random: () => number,
  failureStatus = 500,
): import('./fault-script.js').FaultScript | undefined {
  const roll = random();
  const jitter = profile.latencyJitter > 0 ? (random() * 2 - 1) * profile.latencyJitter : 0;
  const delayMs = Math.max(0, Math.round(profile.latencyMs * (1 + jitter)));
  const chunkDelayMs = profile.tokensPerSecond > 0 ? 1000 / profile.tokensPerSecond : 0;
  if (roll < profile.failureRate) {
    return { status: failureStatus, delayMs, errorMessage: 'Simulated provider failure' };
  }
  if (roll < profile.failureRate + profile.rateLimitRate) {
    return {
      status: 429,
      delayMs,
      headers: { 'retry-after': '1' },
      errorMessage: 'Simulated rate limit',
    };
  }
  if (delayMs === 0 && chunkDelayMs === 0) return undefined;
  return { delayMs, chunkDelayMs };
}
