import type { Identity } from '../gateway-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts for, from the API key only. */
    identity: Identity;
    /** Fires when the client goes away (or the server shuts down past its grace period). */
    abort: AbortController;
  }
}
