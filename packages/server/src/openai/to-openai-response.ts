import type { ChatChunk, FinishReason, OrchestratorResponse } from '@orchestrator/core';

export function openAIFinishReason(reason: FinishReason): string {
  switch (reason) {
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    default:
      return 'stop';
  }
}

// The objects below are written field by field: on Node 20 an object literal with
// conditional spreads takes V8's slow path (about a microsecond per spread), and these
// run for every response.

function usage(u: OrchestratorResponse['usage']): Record<string, unknown> {
  const prompt = u.inputTokens ?? 0;
  const completion = u.outputTokens ?? 0;
  const out: Record<string, unknown> = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: u.totalTokens ?? prompt + completion,
  };
  if (u.cachedInputTokens) out.prompt_tokens_details = { cached_tokens: u.cachedInputTokens };
  if (u.reasoningTokens) out.completion_tokens_details = { reasoning_tokens: u.reasoningTokens };
  return out;
}

function message(r: OrchestratorResponse): Record<string, unknown> {
  const out: Record<string, unknown> = {
    role: 'assistant',
    content: r.toolCalls.length && !r.content ? null : r.content,
    refusal: null,
  };
  if (r.toolCalls.length)
    out.tool_calls = r.toolCalls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    }));
  return out;
}

export function toOpenAIResponse(
  r: OrchestratorResponse,
  id: string,
  created: number,
): Record<string, unknown> {
  return {
    id,
    object: 'chat.completion',
    created,
    model: r.modelUsed,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: message(r),
        logprobs: null,
        finish_reason: openAIFinishReason(r.finishReason),
      },
    ],
    usage: usage(r.usage),
    orchestrator: {
      request_id: r.requestId,
      model: r.modelUsed,
      provider: r.provider,
      cached: r.cached,
      cost_usd: r.costUsd,
      attempts: r.attempts.length,
    },
  };
}

/**
 * Turns engine chunks into `chat.completion.chunk` SSE events (`data: …\n\n`),
 * ready to write. The part every event of a stream shares (id, created,
 * model) is serialized once; per chunk only the delta is (this runs for every
 * token of every stream — no per-chunk object copies, issue 5). Error chunks
 * are the caller's business.
 */
export class OpenAIChunkWriter {
  #roleSent = false;
  /** `data: {"id":…,"system_fingerprint":null,` — what precedes `"choices"` in every event. */
  readonly #head: string;
  constructor(id: string, created: number, model: string) {
    const base = JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
    });
    this.#head = `data: ${base.slice(0, -1)},`;
  }

  #delta(delta: string, finish: string | null): string {
    return `${this.#head}"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${
      finish === null ? 'null' : JSON.stringify(finish)
    }}]}\n\n`;
  }

  /** A delta's JSON; the stream's first delta also carries the role (and `content: ""` when it has no content). */
  #open(fields: string, hasContent: boolean): string {
    if (this.#roleSent) return `{${fields}}`;
    this.#roleSent = true;
    const role = hasContent ? '"role":"assistant"' : '"role":"assistant","content":""';
    return fields === '' ? `{${role}}` : `{${role},${fields}}`;
  }

  /** The SSE events (possibly none) for one engine chunk, as one string. */
  frames(chunk: ChatChunk, includeUsage: boolean): string {
    switch (chunk.type) {
      case 'text-delta':
        return this.#delta(this.#open(`"content":${JSON.stringify(chunk.text)}`, true), null);
      case 'tool-call-delta': {
        const call = {
          index: chunk.index,
          ...(chunk.id ? { id: chunk.id, type: 'function' } : {}),
          function: {
            ...(chunk.name ? { name: chunk.name } : {}),
            arguments: chunk.argumentsDelta,
          },
        };
        return this.#delta(this.#open(`"tool_calls":${JSON.stringify([call])}`, true), null);
      }
      case 'finish': {
        const finish = this.#delta(this.#open('', false), openAIFinishReason(chunk.finishReason));
        if (!includeUsage) return finish;
        return `${finish}${this.#head}"choices":[],"usage":${JSON.stringify(usage(chunk.usage))}}\n\n`;
      }
      default:
        return '';
    }
  }
}
