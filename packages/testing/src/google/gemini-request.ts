import type { FaultScript } from '../fault-script.js';

/** A Gemini part as the fake reads it from a request. */
export interface GeminiPart {
  readonly text?: string;
  readonly thought?: boolean;
  readonly thoughtSignature?: string;
  readonly functionCall?: { readonly name?: string; readonly args?: unknown; readonly id?: string };
  readonly functionResponse?: {
    readonly name?: string;
    readonly response?: unknown;
    readonly id?: string;
  };
  readonly inlineData?: { readonly mimeType?: string; readonly data?: string };
  readonly fileData?: { readonly mimeType?: string; readonly fileUri?: string };
}

export interface GeminiContent {
  readonly role?: string;
  readonly parts?: readonly GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  readonly name?: string;
  readonly description?: string;
  readonly parametersJsonSchema?: unknown;
  readonly parameters?: unknown;
}

/** The body of `models/{model}:generateContent` and `:streamGenerateContent`. */
export interface GeminiGenerateBody {
  readonly contents?: readonly GeminiContent[];
  readonly systemInstruction?: GeminiContent;
  readonly tools?: readonly {
    readonly functionDeclarations?: readonly GeminiFunctionDeclaration[];
  }[];
  readonly toolConfig?: {
    readonly functionCallingConfig?: {
      readonly mode?: string;
      readonly allowedFunctionNames?: readonly string[];
    };
  };
  readonly generationConfig?: {
    readonly maxOutputTokens?: number;
    readonly stopSequences?: readonly string[];
    readonly responseMimeType?: string;
    readonly responseJsonSchema?: unknown;
    readonly responseSchema?: unknown;
  };
}

/**
 * A fault script with the Gemini-only knobs: a prompt blocked by the safety
 * filters, a thought signature on function calls, a quota id on 429s and an
 * error event in the middle of a 200 stream.
 */
export interface GeminiFaultScript extends FaultScript {
  /** Block the prompt: the answer has `promptFeedback.blockReason` and no candidates. */
  readonly blockReason?: 'SAFETY' | 'OTHER' | 'BLOCKLIST' | 'PROHIBITED_CONTENT' | 'IMAGE_SAFETY';
  /** Attach this `thoughtSignature` to every function-call part (what Gemini 3 does). */
  readonly thoughtSignature?: string;
  /** The `quotaId` a 429 names (a `…PerDay…` id means the daily quota is gone). */
  readonly quotaId?: string;
  /** The `retryDelay` a 429 carries in its RetryInfo (default: the Retry-After header, else `3s`). */
  readonly retryDelay?: string;
  /** After this many stream events, send an `{"error":…}` event (500 INTERNAL) and end the stream. */
  readonly errorEventAfter?: number;
  /** Ids to put on the function calls (newer Gemini models return them). */
  readonly functionCallIds?: readonly string[];
}

/** Every text of the request (system instruction included), for token counts. */
export function requestText(body: GeminiGenerateBody): string {
  const texts: string[] = [];
  const collect = (content: GeminiContent | undefined) => {
    for (const part of content?.parts ?? []) {
      if (typeof part.text === 'string') texts.push(part.text);
      if (part.functionCall) texts.push(JSON.stringify(part.functionCall.args ?? {}));
      if (part.functionResponse) texts.push(JSON.stringify(part.functionResponse.response ?? {}));
    }
  };
  collect(body.systemInstruction);
  for (const content of body.contents ?? []) collect(content);
  return texts.join('\n');
}

/** The text of the last user turn: what a simulated answer talks about. */
export function lastUserText(body: GeminiGenerateBody): string {
  const contents = body.contents ?? [];
  for (let i = contents.length - 1; i >= 0; i--) {
    const content = contents[i]!;
    if (content.role !== undefined && content.role !== 'user') continue;
    const text = (content.parts ?? [])
      .map((p) => p.text ?? '')
      .join(' ')
      .trim();
    if (text) return text;
  }
  return '';
}
