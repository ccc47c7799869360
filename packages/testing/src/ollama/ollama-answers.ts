import type { ModelProfile } from '../model-profile.js';
import { countTokens, simulateText, splitIntoTokens } from '../simulated-text.js';
import type { OllamaFaultScript } from './ollama-fault-script.js';

/** A tool call as Ollama sends it: no id, arguments as an object. */
export interface OllamaWireToolCall {
  readonly function: {
    readonly index: number;
    readonly name: string;
    readonly arguments: Record<string, unknown>;
  };
}

/** Everything one chat or generate answer is made of, before it is encoded. */
export interface OllamaAnswer {
  readonly pieces: readonly string[];
  readonly thinkingPieces: readonly string[];
  readonly toolCalls: readonly OllamaWireToolCall[];
  readonly doneReason: string;
  readonly promptEvalCount: number;
  readonly evalCount: number;
}

interface AnswerInput {
  readonly model: string;
  /** The prompt the answer is about (the last user message, or the generate prompt). */
  readonly prompt: string;
  /** All input text, to count prompt tokens. */
  readonly inputText: string;
  readonly format: unknown;
  readonly think: unknown;
  readonly options: unknown;
  readonly script: OllamaFaultScript | undefined;
  readonly profile: Required<ModelProfile>;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A value that satisfies a JSON schema well enough for a simulated answer. */
export function sampleFromSchema(schema: unknown, prompt: string, depth = 0): unknown {
  const s = record(schema) ?? {};
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if ('const' in s) return s.const;
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(record(s.properties) ?? {})) {
        out[key] = depth > 6 ? null : sampleFromSchema(sub, prompt, depth + 1);
      }
      return out;
    }
    case 'array':
      return depth > 6 ? [] : [sampleFromSchema(s.items, prompt, depth + 1)];
    case 'integer':
      return 42;
    case 'number':
      return 4.2;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return `[simulated] ${prompt.slice(0, 40)}`;
  }
}

function answerText(input: AnswerInput): string {
  if (input.script?.text !== undefined) return input.script.text;
  const { profile } = input;
  if (input.format === 'json') {
    return JSON.stringify({
      answer: simulateText(
        input.prompt,
        input.model,
        Math.min(profile.answerTokens, 20),
        profile.quality,
      ),
    });
  }
  if (record(input.format)) return JSON.stringify(sampleFromSchema(input.format, input.prompt));
  return simulateText(input.prompt, input.model, profile.answerTokens, profile.quality);
}

/** Builds the answer: text pieces, thinking, tool calls, the stop reason and token counts. */
export function buildOllamaAnswer(input: AnswerInput): OllamaAnswer {
  const { script } = input;
  let pieces = splitIntoTokens(answerText(input));
  let doneReason = 'stop';
  const numPredict = record(input.options)?.num_predict;
  if (typeof numPredict === 'number' && numPredict >= 0 && pieces.length > numPredict) {
    pieces = pieces.slice(0, numPredict);
    doneReason = 'length';
  }
  const thinkingText =
    script?.thinking ??
    (input.think === true || typeof input.think === 'string'
      ? `Let me think about "${input.prompt.slice(0, 30)}".`
      : '');
  const thinkingPieces = splitIntoTokens(thinkingText);
  const toolCalls = (script?.toolCalls ?? []).map((call, index) => ({
    function: { index, name: call.name, arguments: parseArguments(call.arguments) },
  }));
  const text = pieces.join('');
  return {
    pieces,
    thinkingPieces,
    toolCalls,
    doneReason: script?.finishReason ?? doneReason,
    promptEvalCount: script?.usage?.inputTokens ?? countTokens(input.inputText),
    evalCount:
      script?.usage?.outputTokens ??
      countTokens(text) +
        countTokens(thinkingText) +
        toolCalls.reduce((n, c) => n + countTokens(JSON.stringify(c)), 0),
  };
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    return record(JSON.parse(text)) ?? {};
  } catch {
    return {};
  }
}

/** Durations in nanoseconds, derived from the token counts so a recorded stream is reproducible. */
export function ollamaTimings(answer: OllamaAnswer, delayMs: number): Record<string, number> {
  const ms = 1_000_000;
  const load = 2_000_000;
  const promptEval = answer.promptEvalCount * ms;
  const evalDuration = answer.evalCount * 20 * ms;
  return {
    total_duration: load + promptEval + evalDuration + Math.round(delayMs * ms),
    load_duration: load,
    prompt_eval_count: answer.promptEvalCount,
    prompt_eval_duration: promptEval,
    eval_count: answer.evalCount,
    eval_duration: evalDuration,
  };
}

/** The NDJSON lines of a streamed `/api/chat` answer. */
export function chatStreamLines(
  model: string,
  answer: OllamaAnswer,
  createdAt: string,
  delayMs: number,
): unknown[] {
  const head = { model, created_at: createdAt };
  const lines: unknown[] = [];
  for (const thinking of answer.thinkingPieces) {
    lines.push({ ...head, message: { role: 'assistant', content: '', thinking }, done: false });
  }
  for (const content of answer.pieces) {
    lines.push({ ...head, message: { role: 'assistant', content }, done: false });
  }
  if (answer.toolCalls.length > 0) {
    lines.push({
      ...head,
      message: { role: 'assistant', content: '', tool_calls: answer.toolCalls },
      done: false,
    });
  }
  lines.push({
    ...head,
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: answer.doneReason,
    ...ollamaTimings(answer, delayMs),
  });
  return lines;
}

/** The single JSON body of a `stream: false` `/api/chat` answer. */
export function chatBody(
  model: string,
  answer: OllamaAnswer,
  createdAt: string,
  delayMs: number,
): unknown {
  const thinking = answer.thinkingPieces.join('');
  return {
    model,
    created_at: createdAt,
    message: {
      role: 'assistant',
      content: answer.pieces.join(''),
      ...(thinking ? { thinking } : {}),
      ...(answer.toolCalls.length > 0 ? { tool_calls: answer.toolCalls } : {}),
    },
    done: true,
    done_reason: answer.doneReason,
    ...ollamaTimings(answer, delayMs),
  };
}

/** The NDJSON lines of a streamed `/api/generate` answer (the last one carries `context`). */
export function generateStreamLines(
  model: string,
  answer: OllamaAnswer,
  createdAt: string,
  delayMs: number,
): unknown[] {
  const head = { model, created_at: createdAt };
  const lines: unknown[] = answer.thinkingPieces.map((thinking) => ({
    ...head,
    response: '',
    thinking,
    done: false,
  }));
  for (const response of answer.pieces) lines.push({ ...head, response, done: false });
  lines.push(generateBody(model, answer, createdAt, delayMs, ''));
  return lines;
}

export function generateBody(
  model: string,
  answer: OllamaAnswer,
  createdAt: string,
  delayMs: number,
  response = answer.pieces.join(''),
): unknown {
  const thinking = response === '' ? '' : answer.thinkingPieces.join('');
  return {
    model,
    created_at: createdAt,
    response,
    ...(thinking ? { thinking } : {}),
    done: true,
    done_reason: answer.doneReason,
    context: Array.from(
      { length: Math.min(answer.promptEvalCount + answer.evalCount, 64) },
      (_, i) => 128_000 + i,
    ),
    ...ollamaTimings(answer, delayMs),
  };
}
