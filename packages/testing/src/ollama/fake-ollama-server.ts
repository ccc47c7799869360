import { EventEmitter } from 'node:events';
import {
  FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type RequestContext,
  type RouteHandler,
} from '../fake-server.js';
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
import {
  DEFAULT_OLLAMA_MODELS,
  normalizeOllamaModelName,
  ollamaEmbeddingLength,
  ollamaPullLines,
  ollamaShowResponse,
  ollamaTagEntry,
} from './ollama-model-catalog.js';

export interface FakeOllamaServerOptions extends FakeServerOptions {
  /** Installed models (`/api/tags`); default `DEFAULT_OLLAMA_MODELS`. Pass `[]` to start empty. */
  readonly models?: readonly string[];
  /** When set, every `/api/*` call must carry `Authorization: Bearer <apiKey>` (hosted Ollama). */
  readonly apiKey?: string;
  /** What `/api/version` reports. */
  readonly version?: string;
}

/** How one response of the fake ended, as seen from the server. */
export interface OllamaClosedResponse {
  readonly path: string;
  /** True when the whole response was written; false when the client went away first. */
  readonly completed: boolean;
}

type Body = Record<string, unknown>;

function bodyOf(request: RecordedRequest): Body {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {};
}

/**
 * Ollama's REST API on loopback, as the official `ollama` SDK calls it:
 * chat and generate (NDJSON streams or one JSON), embed, tags, pull with
 * progress, show, delete, version and ps, with Ollama's `{"error": "…"}`
 * bodies. Installed models are configurable, so lazy loading can be tested
 * from a server that lacks the model; a pull installs it.
 */
export class FakeOllamaServer extends FakeServer {
  private readonly installed = new Map<string, Date>();
  private readonly loaded = new Map<string, number>();
  private readonly events = new EventEmitter();
  private readonly apiKey: string | undefined;
  private readonly version: string;

  constructor(options: FakeOllamaServerOptions = {}) {
    super(options);
    this.apiKey = options.apiKey;
    this.version = options.version ?? '0.12.6';
    this.events.setMaxListeners(0);
    for (const name of options.models ?? DEFAULT_OLLAMA_MODELS) this.installModel(name);
    this.route('GET', '/', ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Ollama is running');
    });
    this.api('GET', '/api/version', ({ res, script }) =>
      sendJson(res, 200, { version: this.version }, script),
    );
    this.api('GET', '/api/tags', ({ res, script }) =>
      sendJson(res, 200, { models: this.tags() }, script),
    );
    this.api('GET', '/api/ps', ({ res, script }) =>
      sendJson(res, 200, { models: this.running() }, script),
    );
    this.api('POST', '/api/show', (ctx) => this.show(ctx));
    this.api('POST', '/api/pull', (ctx) => this.pull(ctx));
    this.api('DELETE', '/api/delete', (ctx) => this.delete(ctx));
    this.api('POST', '/api/chat', (ctx) => this.chat(ctx));
    this.api('POST', '/api/generate', (ctx) => this.generate(ctx));
    this.api('POST', '/api/embed', (ctx) => this.embed(ctx));
  }

  override enqueue(...scripts: OllamaFaultScript[]): this {
    return super.enqueue(...scripts);
  }

  installModel(name: string): this {
    this.installed.set(normalizeOllamaModelName(name), new Date());
    return this;
  }

  removeModel(name: string): this {
    this.installed.delete(normalizeOllamaModelName(name));
    return this;
  }

  hasModel(name: string): boolean {
    return this.installed.has(normalizeOllamaModelName(name));
  }

  /** Full names of the installed models. */
  installedModels(): string[] {
    return [...this.installed.keys()];
  }

  /** Resolves with the next request to a path starting with `path`. */
  nextRequest(path: string): Promise<RecordedRequest> {
    return this.next('request', path);
  }

  /** Resolves when the next response on a path starting with `path` closes (finished or cut by the client). */
  nextClose(path: string): Promise<OllamaClosedResponse> {
    return this.next('close', path);
  }

  protected override modelOf(
    request: RecordedRequest,
    params: Readonly<Record<string, string>>,
  ): string | undefined {
    const body = bodyOf(request);
    if (typeof body.model === 'string') return body.model;
    if (typeof body.name === 'string') return body.name;
    return params.model;
  }

  private next<T extends { path: string }>(event: 'request' | 'close', path: string): Promise<T> {
    return new Promise((resolve) => {
      const listener = (item: T) => {
        if (!item.path.startsWith(path)) return;
        this.events.off(event, listener);
        resolve(item);
      };
      this.events.on(event, listener);
    });
  }

  /** Registers an `/api/*` route with request/close events and the hosted-Ollama key check. */
  private api(method: string, path: string, handler: RouteHandler): void {
    this.route(method, path, async (ctx) => {
      const { res, request } = ctx;
      res.on('close', () => {
        this.events.emit('close', { path: request.path, completed: res.writableFinished });
      });
      this.events.emit('request', request);
      if (this.apiKey !== undefined && request.headers.authorization !== `Bearer ${this.apiKey}`) {
        await sendOllamaError(res, 401, 'unauthorized');
        return;
      }
      await handler(ctx);
    });
  }

  private tags(): unknown[] {
    return [...this.installed].map(([name, at]) => ollamaTagEntry(name, at));
  }

  private running(): unknown[] {
    const now = Date.now();
    const out: unknown[] = [];
    for (const [name, expires] of this.loaded) {
      if (expires <= now || !this.installed.has(name)) continue;
      const entry = ollamaTagEntry(name, this.installed.get(name)!);
      out.push({ ...entry, expires_at: new Date(expires).toISOString(), size_vram: entry.size });
    }
    return out;
  }

  private touch(model: string, keepAlive: unknown): void {
    const name = normalizeOllamaModelName(model);
    if (keepAlive === 0 || keepAlive === '0' || keepAlive === '0s') this.loaded.delete(name);
    else this.loaded.set(name, Date.now() + 5 * 60_000);
  }

  /** Common start of chat/generate/embed: scripts and profiles, the model check. Returns the model or undefined when answered. */
  private async begin(
    ctx: RequestContext,
  ): Promise<{ model: string; script: OllamaFaultScript | undefined } | undefined> {
    const script: OllamaFaultScript | undefined =
      ctx.script ?? scriptFromProfile(ctx.profile, this.random);
    if (await applyStatusScript(ctx.res, script)) return undefined;
    const body = bodyOf(ctx.request);
    if (ctx.request.rawBody.length === 0) {
      await sendOllamaError(ctx.res, 400, 'missing request body');
      return undefined;
    }
    if (typeof body.model !== 'string' || body.model === '') {
      await sendOllamaError(ctx.res, 400, 'model is required');
      return undefined;
    }
    if (!this.hasModel(body.model)) {
      await sendOllamaError(ctx.res, 404, `model '${body.model}' not found, try pulling it first`);
      return undefined;
    }
    this.touch(body.model, body.keep_alive);
    return { model: body.model, script };
  }

  private async chat(ctx: RequestContext): Promise<void> {
    const started = await this.begin(ctx);
    if (!started) return;
    const { model, script } = started;
    const body = bodyOf(ctx.request);
    if (body.messages !== undefined && !Array.isArray(body.messages)) {
      return sendOllamaError(ctx.res, 400, 'messages must be an array');
    }
    const messages = (body.messages ?? []) as { role?: unknown; content?: unknown }[];
    const createdAt = new Date().toISOString();
    if (messages.length === 0) {
      return sendJson(ctx.res, 200, {
        model,
        created_at: createdAt,
        message: { role: 'assistant', content: '' },
        done_reason: 'load',
        done: true,
      });
    }
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    const inputText =
      messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n') +
      (Array.isArray(body.tools) ? JSON.stringify(body.tools) : '');
    const answer = buildOllamaAnswer({
      model,
      prompt: typeof lastUser?.content === 'string' ? lastUser.content : '',
      inputText,
      format: body.format,
      think: body.think,
      options: body.options,
      script,
      profile: ctx.profile,
    });
    const delayMs = script?.delayMs ?? 0;
    if (body.stream === false)
      return sendJson(ctx.res, 200, chatBody(model, answer, createdAt, delayMs), script);
    return writeOllamaStream(ctx.res, chatStreamLines(model, answer, createdAt, delayMs), script);
  }

  private async generate(ctx: RequestContext): Promise<void> {
    const started = await this.begin(ctx);
    if (!started) return;
    const { model, script } = started;
    const body = bodyOf(ctx.request);
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
    if (body.stream === false)
      return sendJson(ctx.res, 200, generateBody(model, answer, createdAt, delayMs), script);
    return writeOllamaStream(
      ctx.res,
      generateStreamLines(model, answer, createdAt, delayMs),
      script,
    );
  }

  private async embed(ctx: RequestContext): Promise<void> {
    const started = await this.begin(ctx);
    if (!started) return;
    const { model, script } = started;
    const body = bodyOf(ctx.request);
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(inputs) || inputs.some((i) => typeof i !== 'string')) {
      return sendOllamaError(ctx.res, 400, 'invalid input type');
    }
    const dims =
      typeof body.dimensions === 'number' && body.dimensions > 0
        ? body.dimensions
        : ollamaEmbeddingLength(model);
    const embeddings = (inputs as string[]).map((text) =>
      unitVector(`${model}\u0000${text}`, dims),
    );
    const tokens = (inputs as string[]).reduce((n, text) => n + countTokens(text), 0);
    return sendJson(
      ctx.res,
      200,
      {
        model,
        embeddings,
        total_duration: 14_000_000 + tokens * 100_000,
        load_duration: 1_000_000,
        prompt_eval_count: tokens,
      },
      script,
    );
  }

  private async show(ctx: RequestContext): Promise<void> {
    if (await applyStatusScript(ctx.res, ctx.script)) return;
    const body = bodyOf(ctx.request);
    const name =
      typeof body.model === 'string' ? body.model : typeof body.name === 'string' ? body.name : '';
    if (!this.hasModel(name)) return sendOllamaError(ctx.res, 404, `model '${name}' not found`);
    return sendJson(
      ctx.res,
      200,
      ollamaShowResponse(name, this.installed.get(normalizeOllamaModelName(name))!),
      ctx.script,
    );
  }

  private async delete(ctx: RequestContext): Promise<void> {
    if (await applyStatusScript(ctx.res, ctx.script)) return;
    const body = bodyOf(ctx.request);
    const name =
      typeof body.model === 'string' ? body.model : typeof body.name === 'string' ? body.name : '';
    if (!this.hasModel(name)) return sendOllamaError(ctx.res, 404, `model '${name}' not found`);
    this.removeModel(name);
    this.loaded.delete(normalizeOllamaModelName(name));
    ctx.res.writeHead(200).end();
  }

  private async pull(ctx: RequestContext): Promise<void> {
    const script = ctx.script as OllamaFaultScript | undefined;
    if (await applyStatusScript(ctx.res, script)) return;
    const body = bodyOf(ctx.request);
    const name =
      typeof body.model === 'string' ? body.model : typeof body.name === 'string' ? body.name : '';
    if (name === '') return sendOllamaError(ctx.res, 400, 'model is required');
    const lines = ollamaPullLines(name);
    const failsAt = script?.streamErrorAfter;
    const succeeds =
      failsAt === undefined &&
      script?.cutAfterChunks === undefined &&
      script?.malformedAt === undefined;
    if (body.stream === false) {
      if (!succeeds)
        return sendOllamaError(ctx.res, 500, script?.errorMessage ?? 'pull failed', script);
      this.installModel(name);
      return sendJson(ctx.res, 200, { status: 'success' }, script);
    }
    // A pull that will succeed installs the model before `success` goes out, so a
    // client acting on `success` at once finds it; a client leaving early undoes it.
    const wasInstalled = this.hasModel(name);
    if (succeeds) this.installModel(name);
    await writeOllamaStream(ctx.res, lines, script);
    if (!ctx.res.writableFinished && !wasInstalled) this.removeModel(name);
  }
}

/** A deterministic L2-normalized vector, as `/api/embed` returns. */
function unitVector(seedText: string, dims: number): number[] {
  const random = seededRandom(hashString(seedText));
  const v = Array.from({ length: dims }, () => random() * 2 - 1);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}
