import type { RecordedRequest, RequestContext } from '../fake-server.js';
import { scriptFromProfile } from '../model-profile.js';
import { hashString, seededRandom } from '../seeded-random.js';
import { countTokens } from '../simulated-text.js';
import { sendJson } from '../write-stream.js';
import {
  buildOllamaAnswer,
  chatBody,
  chatStreamLines,
  generateBody,
  generateStreamLines,
} from './ollama-answers.js';
import {
  applyStatusScript,
  type OllamaFaultScript,
  sendOllamaError,
  writeOllamaStream,
} from './ollama-fault-script.js';
import { ollamaEmbeddingLength } from './ollama-model-catalog.js';

/** What the generation routes need from the server they run in. */
export interface OllamaGenerationHost {
  readonly random: () => number;
  hasModel(name: string): boolean;
  /** Marks the model loaded (`/api/ps`) for its keep-alive, or unloads it for `keep_alive: 0`. */
  touch(model: string, keepAlive: unknown): void;
}

type Body = Record<string, unknown>;

/** The JSON body of a request; Ollama reads it whatever the content type says. */
export function ollamaBodyOf(request: RecordedRequest): Body {
  let body = request.body;
  if (body === undefined && request.rawBody.length > 0) {
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      body = undefined;
    }
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {};
}

/**
 * Common start of chat, generate and embed: the model's profile when no
 * script was queued, body checks, and the installed-model check (404 as
 * Ollama words it). Returns undefined when the request was answered.
 */
async function begin(
  host: OllamaGenerationHost,
  ctx: RequestContext,
): Promise<{ model: string; script: OllamaFaultScript | undefined; body: Body } | undefined> {
  let script: OllamaFaultScript | undefined = ctx.script;
  if (!script) {
    script = scriptFromProfile(ctx.profile, host.random);
    if (await applyStatusScript(ctx.res, script)) return undefined;
  }
  const body = ollamaBodyOf(ctx.request);
  if (ctx.request.rawBody.length === 0) {
    await sendOllamaError(ctx.res, 400, 'missing request body');
    return undefined;
  }
  if (typeof body.model !== 'string' || body.model === '') {
    await sendOllamaError(ctx.res, 400, 'model is required');
    return undefined;
  }
  if (!host.hasModel(body.model)) {
    await sendOllamaError(ctx.res, 404, `model '${body.model}' not found, try pulling it first`);
    return undefined;
  }
  host.touch(body.model, body.keep_alive);
  return { model: body.model, script, body };
}

/** `POST /api/chat`: an NDJSON stream (the default) or one JSON with `stream: false`. */
export async function handleOllamaChat(
  host: OllamaGenerationHost,
  ctx: RequestContext,
): Promise<void> {
  const started = await begin(host, ctx);
  if (!started) return;
  const { model, script, body } = started;
  if (body.messages !== undefined && !Array.isArray(body.messages)) {
    return sendOllamaError(ctx.res, 400, 'messages must be an array');
  }
  const messages = (body.messages ?? []) as { role?: unknown; content?: unknown }[];
  const createdAt = new Date().toISOString();
  if (messages.length === 0) {
    // An empty conversation only loads the model.
    const loaded = { role: 'assistant', content: '' };
    return sendJson(ctx.res, 200, {
      model,
      created_at: createdAt,
      message: loaded,
      done_reason: 'load',
      done: true,
    });
  }
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const answer = buildOllamaAnswer({
    model,
    prompt: typeof lastUser?.content === 'string' ? lastUser.content : '',
    inputText:
      messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n') +
      (Array.isArray(body.tools) ? JSON.stringify(body.tools) : ''),
    format: body.format,
    think: body.think,
    options: body.options,
    script,
    profile: ctx.profile,
  });
  const delayMs = script?.delayMs ?? 0;
  if (body.stream === false) {
    return sendJson(ctx.res, 200, chatBody(model, answer, createdAt, delayMs), script);
  }
  return writeOllamaStream(ctx.res, chatStreamLines(model, answer, createdAt, delayMs), script);
}

/** `POST /api/generate`: like chat, with `response` instead of `message`. */
export async function handleOllamaGenerate(
  host: OllamaGenerationHost,
  ctx: RequestContext,
): Promise<void> {
  const started = await begin(host, ctx);
  if (!started) return;
  const { model, script, body } = started;
  const createdAt = new Date().toISOString();
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  if (prompt === '') {
    return sendJson(ctx.res, 200, {
      model,
      created_at: createdAt,
      response: '',
      done: true,
      done_reason: 'load',
    });
  }
  const system = typeof body.system === 'string' ? body.system : '';
  const answer = buildOllamaAnswer({
    model,
    prompt,
    inputText: `${system}\n${prompt}`,
    format: body.format,
    think: body.think,
    options: body.options,
    script,
    profile: ctx.profile,
  });
  const delayMs = script?.delayMs ?? 0;
  if (body.stream === false) {
    return sendJson(ctx.res, 200, generateBody(model, answer, createdAt, delayMs), script);
  }
  return writeOllamaStream(ctx.res, generateStreamLines(model, answer, createdAt, delayMs), script);
}

/** `POST /api/embed`: one L2-normalized vector per input. */
export async function handleOllamaEmbed(
  host: OllamaGenerationHost,
  ctx: RequestContext,
): Promise<void> {
  const started = await begin(host, ctx);
  if (!started) return;
  const { model, script, body } = started;
  const inputs: unknown = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.some((i) => typeof i !== 'string')) {
    return sendOllamaError(ctx.res, 400, 'invalid input type');
  }
  const texts = inputs as string[];
  const dims =
    typeof body.dimensions === 'number' && body.dimensions > 0
      ? body.dimensions
      : ollamaEmbeddingLength(model);
  const tokens = texts.reduce((n, text) => n + countTokens(text), 0);
  return sendJson(
    ctx.res,
    200,
    {
      model,
      embeddings: texts.map((text) => unitVector(`${model}\u0000${text}`, dims)),
      total_duration: 14_000_000 + tokens * 100_000,
      load_duration: 1_000_000,
      prompt_eval_count: tokens,
    },
    script,
  );
}

/** A deterministic L2-normalized vector, as `/api/embed` returns. */
function unitVector(seedText: string, dims: number): number[] {
  const random = seededRandom(hashString(seedText));
  const v = Array.from({ length: dims }, () => random() * 2 - 1);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}
