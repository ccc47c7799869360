import type { FaultScript } from '@orchestrator/testing';
import type { FleetProvider } from './fleet-catalogue.js';

/** The faults the dashboard and the traffic generator can inject into a simulated provider. */
export const FAULTS = ['outage', 'slow', 'rate_limit'] as const;
export type Fault = (typeof FAULTS)[number];

export function isFault(value: unknown): value is Fault {
  return typeof value === 'string' && (FAULTS as readonly string[]).includes(value);
}

/** Delay before the first byte while a provider is `slow`, ms. */
export const SLOW_FIRST_BYTE_MS = 4_000;

/**
 * A lasting fault script (`times: Infinity`, cleared on recovery). An outage
 * is the provider's own "server error" status — 529 overloaded for Anthropic,
 * 503 unavailable for Gemini, 500 elsewhere — so each adapter meets the
 * failure its real SDK would, and the breaker and fallback act on it.
 */
export function faultScript(provider: FleetProvider, fault: Fault): FaultScript {
  switch (fault) {
    case 'outage':
      return {
        times: Number.POSITIVE_INFINITY,
        status: provider === 'anthropic' ? 529 : provider === 'google' ? 503 : 500,
        errorMessage: 'Simulated outage (injected from the demo dashboard)',
      };
    case 'slow':
      return { times: Number.POSITIVE_INFINITY, delayMs: SLOW_FIRST_BYTE_MS, chunkDelayMs: 120 };
    case 'rate_limit':
      return {
        times: Number.POSITIVE_INFINITY,
        status: 429,
        headers: { 'retry-after': '2' },
        errorMessage: 'Simulated rate limit (injected from the demo dashboard)',
      };
  }
}
