import type { Fetch } from '@google/genai';
import { createTransportFetch, type TransportFetch } from '@orchestrator/transport';

let transport: TransportFetch | undefined;

/**
 * The fetch the adapter hands the SDK unless settings give one: the
 * orchestrator's transport (pooled keep-alive connections on node:http,
 * cheaper per call than Node's global fetch), with the 300 s limits on
 * waiting for headers and between body chunks (Node's fetch has them) both
 * off — the SDK lifts them for its own fetch, and a thinking model can be
 * silent that long. Deadlines are the caller's business (`timeoutMs`, the abort signal).
 * One pool for every Google model of the process, created on first use.
 */
export const defaultFetch: Fetch = (input, init) => {
  transport ??= createTransportFetch({ headersTimeoutMs: 0, bodyTimeoutMs: 0 });
  return transport(input, init);
};
