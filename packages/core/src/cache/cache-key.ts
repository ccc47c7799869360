import { createHash } from 'node:crypto';
import type { ChatMessage, ChatRequest, ContentPart } from '../types/chat.js';
import { CanonicalizationError, canonicalJson } from './canonical-json.js';

export interface CacheKeyInput {
  readonly request: ChatRequest;
  /** The registered name of the model that answers. */
  readonly model: string;
  /**
   * The authenticated identity the answer belongs to. `undefined` is the
   * anonymous tenant: its own namespace, never shared with a named one.
   */
  readonly tenant?: string | undefined;
  /** Anything else that changes the answer (engine-level settings, adapter version…). */
  readonly parameters?: Readonly<Record<string, unknown>> | undefined;
}

/** Bumped when the normalized form changes, so old entries can never be misread. */
const KEY_VERSION = 1;

/**
 * The part of a request that determines the answer. `metadata` is left out
 * (it is bookkeeping: trace ids, cache switches); a plain-string user content
 * and the same text as a single text part are the same request.
 */
export function normalizeRequestForKey(request: ChatRequest): Record<string, unknown> {
  return {
    messages: request.messages.map(normalizeMessage),
    system: request.system,
    tools: request.tools,
    toolChoice: request.toolChoice,
    responseFormat: request.responseFormat,
    temperature: request.temperature,
    topP: request.topP,
    topK: request.topK,
    stop: request.stop,
    maxTokens: request.maxTokens,
    seed: request.seed,
    presencePenalty: request.presencePenalty,
    frequencyPenalty: request.frequencyPenalty,
    providerOptions: request.providerOptions,
  };
}

function normalizeMessage(message: ChatMessage): unknown {
  if (message.role !== 'user') return message;
  const content: readonly ContentPart[] =
    typeof message.content === 'string'
      ? [{ type: 'text', text: message.content }]
      : message.content;
  return { role: 'user', content, name: message.name };
}

/**
 * A stable cache key: sha256 over the canonical JSON of the normalized
 * request, the model, the parameters and the tenant. Returns `undefined` for a
 * request that has no canonical form (a cycle, absurd nesting): such a request
 * is simply not cached.
 */
export function cacheKeyFor(input: CacheKeyInput, shareAcrossTenants = false): string | undefined {
  // Objects, not strings, so no tenant id can ever spell the shared or anonymous slot.
  const tenant = shareAcrossTenants ? { shared: true } : { id: input.tenant ?? null };
  let text: string;
  try {
    text = canonicalJson({
      v: KEY_VERSION,
      tenant,
      model: input.model,
      parameters: input.parameters,
      request: normalizeRequestForKey(input.request),
    });
  } catch (error) {
    if (error instanceof CanonicalizationError) return undefined;
    throw error;
  }
  return `mc${KEY_VERSION}:${createHash('sha256').update(text).digest('hex')}`;
}
