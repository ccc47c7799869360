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

function usage(u: OrchestratorResponse['usage']) {
  const prompt = u.inputTokens ?? 0;
  const completion = u.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: u.totalTokens ?? prompt + completion,
    ...(u.cachedInputTokens
      ? { prompt_tokens_details: { cached_tokens: u.cachedInputTokens } }
      : {}),
    ...(u.reasoningTokens
      ? { completion_tokens_details: { reasoning_tokens: u.reasoningTokens } }
      : {}),
  };
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
        message: {
          role: 'assistant',
          content: r.toolCalls.length && !r.content ? null : r.content,
          refusal: null,
          ...(r.toolCalls.length
            ? {
                tool_calls: r.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        },
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

/** Turns engine chunks into `chat.completion.chunk` objects (the caller adds `data:` framing). */
export class OpenAIChunkWriter {
  #roleSent = false;
  readonly #base: {
    id: string;
    object: 'chat.completion.chunk';
    created: number;
    model: string;
    system_fingerprint: null;
  };
  constructor(id: string, created: number, model: string) {
    this.#base = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: null };
  }

  /** Chunks to send for one engine chunk (error chunks are the caller's business). */
  map(chunk: ChatChunk, includeUsage: boolean): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    const delta = (d: Record<string, unknown>, finish: string | null = null) => {
      if (!this.#roleSent) {
        d = { role: 'assistant', ...d };
        if (d.content === undefined && d.tool_calls === undefined) d.content = '';
        this.#roleSent = true;
      }
      out.push({
        ...this.#base,
        choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }],
      });
    };
    switch (chunk.type) {
      case 'text-delta':
        delta({ content: chunk.text });
        break;
      case 'tool-call-delta':
        delta({
          tool_calls: [
            {
              index: chunk.index,
              ...(chunk.id ? { id: chunk.id, type: 'function' } : {}),
              function: {
                ...(chunk.name ? { name: chunk.name } : {}),
                arguments: chunk.argumentsDelta,
              },
            },
          ],
        });
        break;
      case 'finish':
        delta({}, openAIFinishReason(chunk.finishReason));
        if (includeUsage) out.push({ ...this.#base, choices: [], usage: usage(chunk.usage) });
        break;
      case 'error':
        break;
    }
    return out;
  }
}
