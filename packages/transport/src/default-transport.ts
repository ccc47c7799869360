import { createTransportFetch, type TransportFetch } from './transport-fetch.js';

let shared: TransportFetch | undefined;

/**
 * The process-wide transport the adapters use unless their settings give a
 * `fetch`: one pool of keep-alive connections shared by every model, created
 * on first use (importing the package opens nothing).
 */
export const defaultTransportFetch: typeof globalThis.fetch = (input, init) => {
  shared ??= createTransportFetch();
  return shared(input, init);
};
