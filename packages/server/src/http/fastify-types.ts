import type { Identity, UsageOutcome } from '../gateway-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts for, from the API key only. */
    identity: Identity;
    /** Fires when the client goes away (or the server shuts down past its grace period). */
    abort: AbortController;
    /**
     * How the request ended, for its usage rows: set it with
     * `recordUsageAfterResponse`, which records them when the response closes
     * (after it was written), or at once if it already has.
     */
    usage: UsageOutcome | null;
    /** Whether the response has closed (written, or the client went away). */
    responseClosed: boolean;
  }
}
