import type { ExchangeCapture } from './huggingface-error.js';

export const HF_ROUTER_URL = 'https://router.huggingface.co';
export const HF_HUB_URL = 'https://huggingface.co';

export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** Where the router and Hub URLs the SDK builds should go instead (a proxy, a fake server). */
export interface UrlRewrite {
  readonly router?: string | undefined;
  readonly hub?: string | undefined;
}

export function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

function rewrite(url: string, to: UrlRewrite | undefined): string {
  if (!to) return url;
  if (to.router && url.startsWith(HF_ROUTER_URL))
    return to.router + url.slice(HF_ROUTER_URL.length);
  if (to.hub && url.startsWith(HF_HUB_URL)) return to.hub + url.slice(HF_HUB_URL.length);
  return url;
}

/**
 * The fetch one SDK call uses: sends the configured and per-call headers
 * (the SDK has no headers option), redirects router/Hub URLs when a base URL
 * is configured, and records the response status and headers (the SDK's
 * errors carry neither `Retry-After` nor the headers).
 */
export function callFetch(
  base: FetchFunction,
  capture: ExchangeCapture,
  headers: Readonly<Record<string, string>> | undefined,
  urls: UrlRewrite | undefined,
  keepBody = false,
): FetchFunction {
  return async (input, init) => {
    const url = rewrite(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      urls,
    );
    let next = init;
    if (headers) {
      next = {
        ...init,
        headers: { ...(init?.headers as Record<string, string> | undefined), ...headers },
      };
    }
    const response = await base(url, next);
    capture.status = response.status;
    capture.headers = response.headers;
    if (keepBody && response.ok) capture.body = response.clone();
    return response;
  };
}

/** Merges header sets; undefined when there are none, so the common call allocates nothing. */
export function mergeHeaders(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...a, ...b };
}
