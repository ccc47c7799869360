import { callScope, type HealthCheckResult, redactSecrets } from '@orchestrator/core';
import type { FetchFunction } from './huggingface-fetch.js';
import { trimSlashes } from './huggingface-fetch.js';

export interface HealthTarget {
  readonly fetch: FetchFunction;
  readonly model: string;
  /** A dedicated endpoint: `GET /health` (TGI, TEI), falling back to `GET /info`. */
  readonly endpointUrl?: string | undefined;
  /** Otherwise the Hub's provider mapping for the model: cheap, and it checks the token. */
  readonly hubUrl: string;
  readonly provider: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly secrets: readonly (string | undefined)[];
  readonly timeoutMs: number;
}

async function get(target: HealthTarget, url: string, signal: AbortSignal): Promise<Response> {
  const response = await target.fetch(url, { method: 'GET', headers: target.headers, signal });
  return response;
}

function modelPath(model: string): string {
  const colon = model.indexOf(':');
  return (colon === -1 ? model : model.slice(0, colon))
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

/** Whether the Hub lists a live provider for the model (the configured one, or any for `auto`). */
async function servedByProvider(
  response: Response,
  provider: string | undefined,
): Promise<boolean> {
  const body = (await response.json()) as { inferenceProviderMapping?: unknown };
  const mapping = body.inferenceProviderMapping;
  const entries: { provider?: unknown; status?: unknown }[] = Array.isArray(mapping)
    ? mapping
    : typeof mapping === 'object' && mapping !== null
      ? Object.entries(mapping).map(([name, v]) => ({ provider: name, ...(v as object) }))
      : [];
  return entries.some(
    (e) =>
      (provider === undefined || provider === 'auto' || e.provider === provider) &&
      e.status !== 'error',
  );
}

/**
 * A cheap liveness check that never generates: a dedicated endpoint's
 * `/health`, or the Hub's provider mapping of the model on the router.
 */
export async function checkHuggingFaceHealth(
  target: HealthTarget,
  signal?: AbortSignal,
): Promise<HealthCheckResult> {
  const started = performance.now();
  const scope = callScope(signal ? { signal } : undefined, target.timeoutMs);
  const combined = scope.signal;
  const done = (healthy: boolean, message?: string): HealthCheckResult => ({
    healthy,
    latencyMs: performance.now() - started,
    ...(message === undefined ? {} : { message: redactSecrets(message, target.secrets) }),
  });
  try {
    if (target.endpointUrl) {
      const base = trimSlashes(target.endpointUrl).replace(/\/v1$/, '');
      let response = await get(target, `${base}/health`, combined);
      if (response.status === 404) {
        await response.body?.cancel();
        response = await get(target, `${base}/info`, combined);
      }
      const text = response.ok ? '' : (await response.text()).slice(0, 300);
      if (response.ok) await response.body?.cancel();
      return response.ok
        ? done(true)
        : done(false, `HTTP ${response.status}${text ? `: ${text}` : ''}`);
    }
    const url = `${trimSlashes(target.hubUrl)}/api/models/${modelPath(target.model)}?expand[]=inferenceProviderMapping`;
    const response = await get(target, url, combined);
    if (!response.ok)
      return done(false, `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return (await servedByProvider(response, target.provider))
      ? done(true)
      : done(
          false,
          `no live Inference Provider serves ${target.model}${target.provider ? ` on ${target.provider}` : ''}`,
        );
  } catch (error) {
    const reason = scope.timedOut()
      ? `timed out after ${target.timeoutMs} ms`
      : error instanceof Error
        ? error.message
        : String(error);
    return done(false, reason);
  } finally {
    scope.dispose();
  }
}
