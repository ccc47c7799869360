import type { ModelProfile } from '../model-profile.js';
import { countTokens, simulateText, splitIntoTokens } from '../simulated-text.js';
import { exampleFromSchema } from './example-from-schema.js';
import {
  type GeminiFaultScript,
  type GeminiFunctionDeclaration,
  type GeminiGenerateBody,
  lastUserText,
  requestText,
} from './gemini-request.js';

type Json = Readonly<Record<string, unknown>>;

/** What the fake will answer to one generate request, before it is encoded. */
export interface PlannedAnswer {
  readonly model: string;
  readonly responseId: string;
  readonly text: string;
  readonly toolCalls: readonly {
    readonly name: string;
    readonly args: Json;
    readonly id?: string;
  }[];
  readonly finishReason: string;
  readonly blockReason: string | undefined;
  readonly thoughtSignature: string | undefined;
  readonly usage: Json;
}

const SAFETY_CATEGORIES = [
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
];

/** Decides the answer: scripted text and calls, else simulated text shaped by the request. */
export function planAnswer(
  body: GeminiGenerateBody,
  model: string,
  script: GeminiFaultScript | undefined,
  profile: Required<ModelProfile>,
  responseId: string,
): PlannedAnswer {
  const config = body.generationConfig ?? {};
  const declarations = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  const mode = body.toolConfig?.functionCallingConfig?.mode;
  let toolCalls: PlannedAnswer['toolCalls'] = (script?.toolCalls ?? []).map((call, i) => ({
    name: call.name,
    args: parseArgs(call.arguments),
    ...(script?.functionCallIds?.[i] === undefined ? {} : { id: script.functionCallIds[i] }),
  }));
  let text: string;
  let truncated = false;
  if (script?.text !== undefined) text = script.text;
  else if (script?.toolCalls) text = '';
  else if (mode === 'ANY' && declarations.length > 0) {
    const allowed = body.toolConfig?.functionCallingConfig?.allowedFunctionNames;
    const chosen =
      declarations.find((d) => !allowed || allowed.includes(d.name ?? '')) ?? declarations[0]!;
    toolCalls = [{ name: chosen.name ?? 'function', args: argsExample(chosen) }];
    text = '';
  } else if (config.responseMimeType === 'application/json') {
    const schema = config.responseJsonSchema ?? config.responseSchema;
    text = JSON.stringify(
      schema === undefined
        ? { answer: simulateText(lastUserText(body), model, 12) }
        : exampleFromSchema(schema),
    );
  } else {
    text = simulateText(lastUserText(body), model, profile.answerTokens, profile.quality);
    for (const stop of config.stopSequences ?? []) {
      const at = stop ? text.indexOf(stop) : -1;
      if (at !== -1) text = text.slice(0, at);
    }
    const max = config.maxOutputTokens;
    if (max !== undefined && countTokens(text) > max) {
      let kept = '';
      for (const piece of splitIntoTokens(text)) {
        if (countTokens(kept + piece) > max) break;
        kept += piece;
      }
      text = kept;
      truncated = true;
    }
  }
  const promptTokens = script?.usage?.inputTokens ?? countTokens(requestText(body));
  const cached = script?.usage?.cachedInputTokens;
  const thoughts = script?.usage?.reasoningTokens;
  const output =
    script?.usage?.outputTokens ??
    countTokens(text + toolCalls.map((c) => JSON.stringify(c.args)).join(''));
  const details = [{ modality: 'TEXT', tokenCount: promptTokens }];
  const usage: Record<string, unknown> = { promptTokenCount: promptTokens };
  if (script?.blockReason === undefined && output > 0) usage.candidatesTokenCount = output;
  usage.totalTokenCount = promptTokens + (script?.blockReason ? 0 : output + (thoughts ?? 0));
  if (cached) usage.cachedContentTokenCount = cached;
  usage.promptTokensDetails = details;
  if (thoughts) usage.thoughtsTokenCount = thoughts;
  return {
    model,
    responseId,
    text,
    toolCalls,
    finishReason: script?.finishReason ?? (truncated ? 'MAX_TOKENS' : 'STOP'),
    blockReason: script?.blockReason,
    thoughtSignature: script?.thoughtSignature,
    usage,
  };
}

/** The whole answer as one `GenerateContentResponse`. */
export function fullResponse(answer: PlannedAnswer): Json {
  if (answer.blockReason) return blockedResponse(answer);
  const parts: Json[] = [];
  if (answer.text) parts.push({ text: answer.text });
  parts.push(...functionCallParts(answer));
  return envelope(answer, {
    candidates: [candidate(parts, answer.finishReason)],
    usageMetadata: answer.usage,
  });
}

/**
 * The answer as the sequence of `GenerateContentResponse` chunks a stream
 * carries: text a token at a time, function calls whole, and the finish
 * reason and usage on the last chunk.
 */
export function streamChunks(answer: PlannedAnswer): Json[] {
  if (answer.blockReason) return [blockedResponse(answer)];
  const chunks: { parts: Json[] }[] = splitIntoTokens(answer.text).map((piece) => ({
    parts: [{ text: piece }],
  }));
  const calls = functionCallParts(answer);
  if (calls.length > 0) chunks.push({ parts: calls });
  if (chunks.length === 0) chunks.push({ parts: [] });
  return chunks.map((chunk, i) => {
    const last = i === chunks.length - 1;
    return envelope(answer, {
      candidates: [candidate(chunk.parts, last ? answer.finishReason : undefined)],
      ...(last ? { usageMetadata: answer.usage } : {}),
    });
  });
}

function functionCallParts(answer: PlannedAnswer): Json[] {
  return answer.toolCalls.map((call) => ({
    functionCall: {
      ...(call.id === undefined ? {} : { id: call.id }),
      name: call.name,
      args: call.args,
    },
    ...(answer.thoughtSignature === undefined ? {} : { thoughtSignature: answer.thoughtSignature }),
  }));
}

function candidate(parts: Json[], finishReason: string | undefined): Json {
  const blocked =
    finishReason !== undefined && /SAFETY|PROHIBITED|BLOCKLIST|SPII/.test(finishReason);
  return {
    ...(parts.length > 0 ? { content: { parts, role: 'model' } } : {}),
    ...(finishReason === undefined ? {} : { finishReason }),
    ...(blocked ? { safetyRatings: safetyRatings(true) } : {}),
    index: 0,
  };
}

function blockedResponse(answer: PlannedAnswer): Json {
  return envelope(answer, {
    promptFeedback: {
      blockReason: answer.blockReason,
      safetyRatings: safetyRatings(answer.blockReason === 'SAFETY'),
    },
    usageMetadata: answer.usage,
  });
}

function safetyRatings(flagged: boolean): Json[] {
  return SAFETY_CATEGORIES.map((category, i) => ({
    category,
    probability: flagged && i === 1 ? 'HIGH' : 'NEGLIGIBLE',
    ...(flagged && i === 1 ? { blocked: true } : {}),
  }));
}

function envelope(answer: PlannedAnswer, fields: Json): Json {
  return { ...fields, modelVersion: answer.model, responseId: answer.responseId };
}

function parseArgs(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : { value };
  } catch {
    return { input: text };
  }
}

function argsExample(declaration: GeminiFunctionDeclaration): Json {
  const value = exampleFromSchema(declaration.parametersJsonSchema ?? declaration.parameters);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}
