import { hash } from 'node:crypto';
import type { ChatMessage, ChatRequest, ContentPart } from '../types/chat.js';
import { CanonicalizationError, writeCanonical } from './canonical-json.js';

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
  let text: string;
  try {
    text = canonicalKeyText(input, shareAcrossTenants);
  } catch (error) {
    if (error instanceof CanonicalizationError) return undefined;
    throw error;
  }
  return `mc${KEY_VERSION}:${hash('sha256', text, 'hex')}`;
}

/**
 * The text the key hashes: exactly `canonicalJson` of
 * `{ v, tenant, model, parameters, request: normalizeRequestForKey(request) }`
 * (a test holds the two equal), written straight from the request instead of
 * building that envelope and sorting its keys on every request. The envelope's
 * keys are fixed, so their sorted order is too; user values inside it go
 * through the generic canonical writer at the depth the envelope puts them.
 * @internal
 */
export function canonicalKeyText(input: CacheKeyInput, shareAcrossTenants = false): string {
  const request = input.request;
  const messages = request.messages;
  // Objects, not strings, so no tenant id can ever spell the shared or anonymous slot.
  const tenant = shareAcrossTenants
    ? '{"shared":true}'
    : `{"id":${input.tenant === undefined ? 'null' : writeCanonical(input.tenant, [], 2)}}`;
  let text = '{';
  if (isPresent(input.model)) text += `"model":${writeCanonical(input.model, [], 1)},`;
  if (isPresent(input.parameters)) {
    text += `"parameters":${writeCanonical(input.parameters, [], 1)},`;
  }
  text += '"request":{';
  let first = true;
  for (const field of REQUEST_FIELDS) {
    let value: string;
    if (field === 'messages') {
      value = Array.isArray(messages)
        ? writeMessages(messages)
        : writeCanonical(messages.map(normalizeMessage), [], 2);
    } else {
      const raw = request[field];
      if (!isPresent(raw)) continue;
      value = writeCanonical(raw, [], 2);
    }
    text += `${first ? '' : ','}"${field}":${value}`;
    first = false;
  }
  return `${text}},"tenant":${tenant},"v":${KEY_VERSION}}`;
}

/** The fields `normalizeRequestForKey` keeps, in the order canonical JSON sorts them. */
const REQUEST_FIELDS = (
  Object.keys(normalizeRequestForKey({ messages: [] })) as (keyof ChatRequest)[]
).sort();

/** What canonical JSON writes for an object member (JSON drops the rest). */
function isPresent(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** `messages.map(normalizeMessage)`, canonically, without building the normalized copies. */
function writeMessages(messages: readonly ChatMessage[]): string {
  let out = '[';
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (i > 0) out += ',';
    if (message!.role !== 'user') {
      out += writeCanonical(message, [], 3);
      continue;
    }
    const content = message!.content;
    out += '{';
    if (typeof content === 'string')
      out += `"content":[{"text":${JSON.stringify(content)},"type":"text"}],`;
    else if (isPresent(content)) out += `"content":${writeCanonical(content, [], 4)},`;
    if (isPresent(message!.name)) out += `"name":${writeCanonical(message!.name, [], 4)},`;
    out += '"role":"user"}';
  }
  return `${out}]`;
}
