import type { OrchestratorError } from '../errors/orchestrator-error.js';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  readonly type: 'text';
  readonly text: string;
}

/** An image, by URL or inline base64 `data` with its media type. */
export interface ImagePart {
  readonly type: 'image';
  readonly url?: string;
  readonly data?: string;
  readonly mediaType?: string;
  readonly detail?: 'auto' | 'low' | 'high';
}

export type ContentPart = TextPart | ImagePart;

export interface SystemMessage {
  readonly role: 'system';
  readonly content: string;
}
export interface UserMessage {
  readonly role: 'user';
  readonly content: string | readonly ContentPart[];
  readonly name?: string;
}
export interface AssistantMessage {
  readonly role: 'assistant';
  readonly content: string | null;
  readonly toolCalls?: readonly ToolCall[];
}
export interface ToolMessage {
  readonly role: 'tool';
  /** The id of the tool call this message answers. */
  readonly toolCallId: string;
  readonly content: string;
  /** Name of the tool; some providers (Gemini) need it. */
  readonly name?: string;
}
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A JSON Schema object, kept opaque: adapters pass it through to the provider. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: JsonSchema;
  readonly strict?: boolean;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  readonly arguments: string;
}

export type ToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { readonly type: 'tool'; readonly name: string };

export type ResponseFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json' }
  | {
      readonly type: 'json_schema';
      readonly schema: JsonSchema;
      readonly name?: string;
      readonly description?: string;
      readonly strict?: boolean;
    };

export type MetadataValue = string | number | boolean | null;

/** A provider-neutral chat request. */
export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  /** System prompt; adapters merge it with any `system` messages. */
  readonly system?: string;
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
  readonly responseFormat?: ResponseFormat;
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly stop?: readonly string[];
  readonly maxTokens?: number;
  readonly seed?: number;
  readonly presencePenalty?: number;
  readonly frequencyPenalty?: number;
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
  /** Options for one provider, keyed by provider name; each adapter validates its own. */
  readonly providerOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Why generation stopped, normalized across providers. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';

/**
 * Token usage. `inputTokens` counts every input token, cached ones included;
 * `cachedInputTokens` is the part of it served from the provider's prompt cache.
 * `outputTokens` includes `reasoningTokens`.
 */
export interface Usage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly totalTokens?: number;
  readonly cachedInputTokens?: number;
  readonly reasoningTokens?: number;
  /** The provider's own usage object. */
  readonly raw?: unknown;
}

/** Something the adapter could not honour, reported instead of failing the call. */
export type Warning =
  | { readonly type: 'unsupported-setting'; readonly setting: string; readonly details?: string }
  | { readonly type: 'other'; readonly message: string };

export interface ChatResponse {
  /** The provider's response id, when it gives one. */
  readonly id?: string;
  /** The model that answered, as the provider named it. */
  readonly model: string;
  readonly provider: string;
  readonly content: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
  /** The provider's own finish reason. */
  readonly rawFinishReason?: string;
  readonly usage: Usage;
  /** Cost of the call in USD, from the model's price table. */
  readonly costUsd: number;
  readonly latencyMs: number;
  readonly warnings: readonly Warning[];
}

/** One piece of a streamed response. A stream ends with exactly one `finish` or `error` chunk. */
export type ChatChunk =
  | { readonly type: 'text-delta'; readonly text: string }
  | {
      readonly type: 'tool-call-delta';
      /** Position of the tool call in the response; deltas with one index belong together. */
      readonly index: number;
      readonly id?: string;
      readonly name?: string;
      readonly argumentsDelta: string;
    }
  | {
      readonly type: 'finish';
      readonly finishReason: FinishReason;
      readonly rawFinishReason?: string;
      readonly usage: Usage;
      readonly costUsd: number;
      readonly warnings?: readonly Warning[];
      readonly id?: string;
      readonly model?: string;
    }
  | { readonly type: 'error'; readonly error: OrchestratorError };

/** Per-call options: cancellation and timeout. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Timeout of this call in milliseconds; overrides the model's `constraints.timeoutMs`. */
  readonly timeoutMs?: number;
  /** Extra HTTP headers for this call. */
  readonly headers?: Readonly<Record<string, string>>;
}
