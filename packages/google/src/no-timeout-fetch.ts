import type { Fetch } from '@google/genai';

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

interface Dispatcher {
  dispatch(options: Record<string, unknown>, handler: unknown): boolean;
}

/**
 * Node's fetch (undici) gives up after 300 s without response headers or
 * body bytes. The SDK lifts those limits for its own fetch but not for one
 * it is handed, and this adapter always hands it one (to trace the call). So
 * the default fetch does what the SDK does: it dispatches through the global
 * dispatcher with undici's own timeouts off. Deadlines are the caller's
 * business (`timeoutMs`, the abort signal). A fetch passed in settings is
 * used exactly as given.
 */
const noTimeoutDispatcher: Dispatcher = {
  dispatch(options, handler) {
    const global = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as
      | Dispatcher
      | undefined;
    if (!global || typeof global.dispatch !== 'function') {
      throw new Error('The undici global dispatcher is not available.');
    }
    return global.dispatch({ ...options, headersTimeout: 0, bodyTimeout: 0 }, handler);
  },
};

export const defaultFetch: Fetch = (input, init) => {
  if (typeof process === 'undefined' || !process.versions?.node) return fetch(input, init);
  if ((globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] === undefined) new Headers();
  if ((globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] === undefined)
    return fetch(input, init);
  return fetch(input, { ...init, dispatcher: noTimeoutDispatcher } as RequestInit);
};
