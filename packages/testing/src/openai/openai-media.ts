import { countTokens, simulateText } from '../simulated-text.js';
import { asJson } from './openai-chat-answer.js';
import type { OpenAIErrorSpec } from './openai-error-body.js';

type Result =
  | { readonly status: 200; readonly body: unknown; readonly contentType?: string }
  | { readonly status: 400; readonly error: OpenAIErrorSpec };

/** A 1×1 transparent PNG: what the fake "generates". */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const bad = (param: string, message: string): Result => ({
  status: 400,
  error: { status: 400, param, message },
});

/** `/images/generations`: URLs or base64 per `response_format`, with the model's rules. */
export function buildImagesResponse(
  body: unknown,
  imageUrl: (index: number) => string,
  now: number,
): Result {
  const b = asJson(body);
  if (typeof b.prompt !== 'string' || b.prompt === '')
    return bad('prompt', "Missing required parameter: 'prompt'.");
  const model = typeof b.model === 'string' ? b.model : 'dall-e-2';
  const n = typeof b.n === 'number' ? b.n : 1;
  const gptImage = model.startsWith('gpt-image');
  if (model === 'dall-e-3' && n !== 1)
    return bad('n', 'You can only generate 1 image with dall-e-3 at a time.');
  if (n < 1 || n > 10) return bad('n', `Invalid 'n': integer must be between 1 and 10.`);
  if (gptImage && b.response_format != null)
    return bad('response_format', "Unknown parameter: 'response_format'.");
  if (gptImage && b.style != null) return bad('style', "Unknown parameter: 'style'.");
  const b64 = gptImage || b.response_format === 'b64_json';
  const data = Array.from({ length: n }, (_, i) => ({
    ...(b64 ? { b64_json: TINY_PNG_BASE64 } : { url: imageUrl(i) }),
    ...(model === 'dall-e-3' ? { revised_prompt: `A detailed rendering of ${b.prompt}` } : {}),
  }));
  return {
    status: 200,
    body: {
      created: Math.floor(now / 1000),
      data,
      ...(gptImage
        ? {
            usage: {
              input_tokens: countTokens(b.prompt),
              input_tokens_details: { text_tokens: countTokens(b.prompt), image_tokens: 0 },
              output_tokens: 1056 * n,
              total_tokens: countTokens(b.prompt) + 1056 * n,
            },
          }
        : {}),
    },
  };
}

/** The fields of an `/audio/*` multipart request. */
export interface AudioForm {
  readonly model: string;
  readonly fileName: string;
  readonly fileBytes: number;
  readonly language?: string | undefined;
  readonly prompt?: string | undefined;
  readonly responseFormat: string;
}

export async function parseAudioForm(
  rawBody: Buffer,
  contentType: string,
): Promise<AudioForm | undefined> {
  if (!contentType.startsWith('multipart/form-data')) return undefined;
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(rawBody), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    return undefined;
  }
  const file = form.get('file');
  const model = form.get('model');
  if (typeof model !== 'string' || file === null || typeof file === 'string') return undefined;
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  return {
    model,
    fileName: file.name,
    fileBytes: file.size,
    language: field('language'),
    prompt: field('prompt'),
    responseFormat: field('response_format') ?? 'json',
  };
}

/** `/audio/transcriptions` and `/audio/translations`, in json, text or verbose_json. */
export function buildAudioResponse(
  form: AudioForm,
  task: 'transcribe' | 'translate',
  scriptedText?: string,
): Result {
  const whisper = form.model.includes('whisper');
  if (task === 'translate' && !whisper)
    return bad('model', `Model '${form.model}' does not support translations.`);
  const formats = whisper ? ['json', 'text', 'srt', 'vtt', 'verbose_json'] : ['json', 'text'];
  if (!formats.includes(form.responseFormat)) {
    return bad(
      'response_format',
      `response_format '${form.responseFormat}' is not compatible with model '${form.model}'. Use ${formats.map((f) => `'${f}'`).join(' or ')} instead.`,
    );
  }
  // About 16 kB a second of compressed speech; at least a second.
  const duration = Math.max(1, Math.round((form.fileBytes / 16_000) * 100) / 100);
  const text =
    scriptedText ??
    simulateText(
      `${task} ${form.fileName} ${form.prompt ?? ''}`,
      form.model,
      Math.ceil(duration * 3),
      0.9,
    ).replace(/^\[simulated\]\s*/, '');
  const language = task === 'translate' ? 'english' : (form.language ?? 'english');
  const usage = whisper
    ? { type: 'duration', seconds: Math.ceil(duration) }
    : {
        type: 'tokens',
        input_tokens: Math.ceil(duration * 10),
        output_tokens: countTokens(text),
        total_tokens: Math.ceil(duration * 10) + countTokens(text),
      };
  switch (form.responseFormat) {
    case 'text':
      return { status: 200, body: `${text}\n`, contentType: 'text/plain; charset=utf-8' };
    case 'srt':
      return {
        status: 200,
        body: `1\n00:00:00,000 --> ${srtTime(duration)}\n${text}\n\n`,
        contentType: 'text/plain; charset=utf-8',
      };
    case 'vtt':
      return {
        status: 200,
        body: `WEBVTT\n\n00:00:00.000 --> ${srtTime(duration).replace(',', '.')}\n${text}\n\n`,
        contentType: 'text/plain; charset=utf-8',
      };
    case 'verbose_json':
      return {
        status: 200,
        body: {
          task,
          language,
          duration,
          text,
          segments: [
            {
              id: 0,
              seek: 0,
              start: 0,
              end: duration,
              text: ` ${text}`,
              tokens: [],
              temperature: 0,
              avg_logprob: -0.2,
              compression_ratio: 1.3,
              no_speech_prob: 0.01,
            },
          ],
          usage,
        },
      };
    default:
      return { status: 200, body: task === 'translate' ? { text } : { text, usage } };
  }
}

function srtTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
}
