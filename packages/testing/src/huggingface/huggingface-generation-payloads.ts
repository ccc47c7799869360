import type { FaultScript } from '../fault-script.js';
import { hashString, seededRandom } from '../seeded-random.js';
import { countTokens, simulateText, splitIntoTokens } from '../simulated-text.js';
import { TGI_FINGERPRINT } from './huggingface-chat-payloads.js';

/** The pipeline task a Hub model card declares, as the Inference Providers mapping names it. */
export type HubTask = 'conversational' | 'text-generation' | 'feature-extraction';

export interface GenerationAnswer {
  readonly model: string;
  readonly text: string;
  /** OpenAI-style finish reason (`stop`, `length`). */
  readonly finishReason: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** The answer to a text-generation request (`prompt` or `inputs`), honouring the token limit. */
export function generationAnswer(
  prompt: string,
  maxTokens: number | undefined,
  model: string,
  script: FaultScript | undefined,
  profile: { readonly answerTokens: number; readonly quality: number },
): GenerationAnswer {
  let text = script?.text ?? simulateText(prompt, model, profile.answerTokens, profile.quality);
  let finishReason = script?.finishReason ?? 'stop';
  if (script?.text === undefined && maxTokens !== undefined && countTokens(text) > maxTokens) {
    text = text.slice(0, Math.max(1, maxTokens * 4));
    finishReason = 'length';
  }
  return {
    model,
    text,
    finishReason,
    promptTokens: script?.usage?.inputTokens ?? countTokens(prompt),
    completionTokens: script?.usage?.outputTokens ?? countTokens(text),
  };
}

const created = () => Math.floor(Date.now() / 1000);

/** `POST /v1/completions` (TGI's OpenAI-compatible completions, what the SDK's textGeneration calls). */
export function completionJson(answer: GenerationAnswer): Record<string, unknown> {
  return {
    id: '',
    object: 'text_completion',
    created: created(),
    model: answer.model,
    system_fingerprint: TGI_FINGERPRINT,
    choices: [{ index: 0, text: answer.text, logprobs: null, finish_reason: answer.finishReason }],
    usage: {
      prompt_tokens: answer.promptTokens,
      completion_tokens: answer.completionTokens,
      total_tokens: answer.promptTokens + answer.completionTokens,
    },
  };
}

/** Stream chunks of `POST /v1/completions` with `stream: true`; `[DONE]` is added by the caller. */
export function completionChunks(
  answer: GenerationAnswer,
  includeUsage: boolean,
): Record<string, unknown>[] {
  const at = created();
  const pieces = splitIntoTokens(answer.text);
  const out: Record<string, unknown>[] = pieces.map((piece, i) => ({
    id: '',
    object: 'text_completion',
    created: at,
    model: answer.model,
    system_fingerprint: TGI_FINGERPRINT,
    choices: [
      {
        index: 0,
        text: piece,
        logprobs: null,
        finish_reason: i === pieces.length - 1 ? answer.finishReason : null,
      },
    ],
  }));
  if (includeUsage) {
    out.push({
      id: '',
      object: 'text_completion',
      created: at,
      model: answer.model,
      system_fingerprint: TGI_FINGERPRINT,
      choices: [],
      usage: {
        prompt_tokens: answer.promptTokens,
        completion_tokens: answer.completionTokens,
        total_tokens: answer.promptTokens + answer.completionTokens,
      },
    });
  }
  return out;
}

/** TGI's own finish reasons, as `/generate` reports them. */
function tgiFinishReason(reason: string): string {
  if (reason === 'length') return 'length';
  if (reason === 'stop_sequence') return 'stop_sequence';
  return 'eos_token';
}

/** `POST /generate` (and `POST /` without `stream`): `{generated_text, details?}`. */
export function generateJson(
  answer: GenerationAnswer,
  withDetails: boolean,
  seed?: number,
): Record<string, unknown> {
  return {
    generated_text: answer.text,
    ...(withDetails
      ? {
          details: {
            finish_reason: tgiFinishReason(answer.finishReason),
            generated_tokens: answer.completionTokens,
            seed: seed ?? null,
            prefill: [],
            tokens: [],
          },
        }
      : {}),
  };
}

/** `POST /generate_stream` events: one token each, the last with `generated_text` and `details`. */
export function generateStreamEvents(
  answer: GenerationAnswer,
  seed?: number,
): Record<string, unknown>[] {
  const pieces = splitIntoTokens(answer.text);
  return pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    return {
      index: i + 1,
      token: { id: 1000 + i, text: piece, logprob: -0.25, special: false },
      generated_text: last ? answer.text : null,
      details: last
        ? {
            finish_reason: tgiFinishReason(answer.finishReason),
            generated_tokens: answer.completionTokens,
            seed: seed ?? null,
            input_length: answer.promptTokens,
          }
        : null,
    };
  });
}

/** A deterministic unit vector for a text: same text, same vector. */
export function embeddingOf(text: string, dimensions: number): number[] {
  const random = seededRandom(hashString(text));
  const v = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

/** Feature extraction: a string gives one vector, a list of strings a list of vectors. */
export function featureExtractionJson(
  inputs: unknown,
  dimensions: number,
): number[] | number[][] | undefined {
  if (typeof inputs === 'string') return embeddingOf(inputs, dimensions);
  if (Array.isArray(inputs) && inputs.every((x) => typeof x === 'string')) {
    return inputs.map((x) => embeddingOf(x, dimensions));
  }
  return undefined;
}

/** Guesses the task of a Hub model from its id, the way its model card would declare it. */
export function guessHubTask(model: string): HubTask {
  if (/sentence-transformers\/|\bbge-|\be5-|\bgte-|minilm|mpnet|embed/i.test(model))
    return 'feature-extraction';
  if (/instruct|chat|-it\b|-it$|r1|qwq|zephyr|hermes|\bv3\b/i.test(model)) return 'conversational';
  return 'text-generation';
}

/** Providers the fake Hub lists for every model, hf-inference first. */
export const FAKE_PROVIDERS = [
  'hf-inference',
  'together',
  'novita',
  'fireworks-ai',
  'cerebras',
] as const;

/** `GET /api/models/{id}?expand[]=inferenceProviderMapping`, as the Hub answers it. */
export function hubModelJson(model: string, task: HubTask): Record<string, unknown> {
  const mapping: Record<string, unknown> = {};
  for (const provider of FAKE_PROVIDERS)
    mapping[provider] = { status: 'live', providerId: model, task };
  return {
    _id: `fake${hashString(model).toString(16)}`,
    id: model,
    inferenceProviderMapping: mapping,
  };
}

/** `GET /info` of a TGI server. */
export function tgiInfoJson(model: string): Record<string, unknown> {
  return {
    model_id: model,
    model_sha: null,
    model_pipeline_tag: 'text-generation',
    max_concurrent_requests: 128,
    max_best_of: 2,
    max_stop_sequences: 4,
    max_input_tokens: 8191,
    max_total_tokens: 8192,
    validation_workers: 2,
    max_client_batch_size: 4,
    router: 'text-generation-router',
    version: TGI_FINGERPRINT.split('-')[0],
    sha: null,
    docker_label: null,
  };
}
