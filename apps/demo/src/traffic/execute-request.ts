/** What one request through the orchestrator API came to. */
export interface ExecuteOutcome {
  readonly ok: boolean;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly model: string | undefined;
  readonly latencyMs: number;
  readonly costUsd: number;
  readonly cached: boolean;
  readonly attempts: number;
  readonly errorCode: string | undefined;
}

export interface ExecuteBody {
  readonly messages: readonly { readonly role: 'user'; readonly content: string }[];
  readonly strategy?: string;
  readonly model?: string;
  readonly taskType?: string;
  readonly maxTokens?: number;
}

interface ExecuteResponse {
  readonly requestId?: string;
  readonly response?: {
    readonly modelUsed?: string;
    readonly costUsd?: number;
    readonly cached?: boolean;
    readonly attempts?: readonly unknown[];
  };
  readonly error?: { readonly code?: string; readonly type?: string };
}

/**
 * Sends one request to `POST /api/v1/orchestrator/chat/execute` and reports
 * how it went; never throws for an HTTP failure (a budget or rate-limit
 * rejection is an outcome the bench and the traffic generator count).
 */
export async function executeRequest(
  baseUrl: string,
  key: string | undefined,
  body: ExecuteBody,
  timeoutMs = 90_000,
): Promise<ExecuteOutcome> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/v1/orchestrator/chat/execute`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return {
      ok: false,
      status: 0,
      requestId: undefined,
      model: undefined,
      latencyMs: performance.now() - started,
      costUsd: 0,
      cached: false,
      attempts: 0,
      errorCode: (error as { cause?: { code?: string } }).cause?.code ?? 'network_error',
    };
  }
  const parsed = (await res.json().catch(() => ({}))) as ExecuteResponse;
  const latencyMs = performance.now() - started;
  return {
    ok: res.ok,
    status: res.status,
    requestId: parsed.requestId,
    model: parsed.response?.modelUsed,
    latencyMs,
    costUsd: parsed.response?.costUsd ?? 0,
    cached: parsed.response?.cached ?? false,
    attempts: parsed.response?.attempts?.length ?? 0,
    errorCode: res.ok
      ? undefined
      : (parsed.error?.code ?? parsed.error?.type ?? String(res.status)),
  };
}

/** True for http(s) URLs on this machine; the generators refuse anything else. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}
