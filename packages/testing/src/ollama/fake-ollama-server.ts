import {
  type ClosedResponse,
  FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type RequestContext,
  type RouteHandler,
} from '../fake-server.js';
import { sendJson } from '../write-stream.js';
import {
  applyStatusScript,
  type OllamaFaultScript,
  sendOllamaError,
  writeOllamaStream,
} from './ollama-fault-script.js';
import {
  handleOllamaChat,
  handleOllamaEmbed,
  handleOllamaGenerate,
  type OllamaGenerationHost,
  ollamaBodyOf,
} from './ollama-generation-routes.js';
import {
  DEFAULT_OLLAMA_MODELS,
  normalizeOllamaModelName,
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

/** How one response of the fake ended, as seen from the server: the path and `completed` of a `ClosedResponse`. */
export type OllamaClosedResponse = Pick<ClosedResponse, 'path' | 'completed'>;

function nameIn(request: RecordedRequest): string {
  const body = ollamaBodyOf(request);
  if (typeof body.model === 'string') return body.model;
  return typeof body.name === 'string' ? body.name : '';
}

/**
 * Ollama's REST API on loopback, as the official `ollama` SDK calls it:
 * chat and generate (NDJSON streams or one JSON), embed, tags, pull with
 * progress, show, delete, version and ps, with Ollama's `{"error": "…"}`
 * bodies. Installed models are configurable, so lazy loading can be tested
 * from a server that lacks the model; a successful pull installs it.
 *
 * A queued script's error status, raw `body` or `hang` stands in for any
 * route's answer; `streamErrorAfter` ends a chat, generate or pull stream
 * with an `{"error"}` line as Ollama does when a run or a download fails.
 */
export class FakeOllamaServer extends FakeServer implements OllamaGenerationHost {
  private readonly installed = new Map<string, Date>();
  private readonly loaded = new Map<string, number>();
  private readonly apiKey: string | undefined;
  private readonly version: string;

  constructor(options: FakeOllamaServerOptions = {}) {
    super(options);
    this.apiKey = options.apiKey;
    this.version = options.version ?? '0.12.6';
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
    this.api('POST', '/api/chat', (ctx) => handleOllamaChat(this, ctx));
    this.api('POST', '/api/generate', (ctx) => handleOllamaGenerate(this, ctx));
    this.api('POST', '/api/embed', (ctx) => handleOllamaEmbed(this, ctx));
  }

  override enqueue(...scripts: OllamaFaultScript[]): this {
    return super.enqueue(...scripts);
  }

  installModel(name: string): this {
    this.installed.set(normalizeOllamaModelName(name), new Date());
    return this;
  }

  removeModel(name: string): this {
    const full = normalizeOllamaModelName(name);
    this.installed.delete(full);
    this.loaded.delete(full);
    return this;
  }

  hasModel(name: string): boolean {
    return this.installed.has(normalizeOllamaModelName(name));
  }

  /** Full names of the installed models. */
  installedModels(): string[] {
    return [...this.installed.keys()];
  }

  touch(model: string, keepAlive: unknown): void {
    const name = normalizeOllamaModelName(model);
    if (keepAlive === 0 || keepAlive === '0' || keepAlive === '0s') this.loaded.delete(name);
    else this.loaded.set(name, Date.now() + 5 * 60_000);
  }

  /** Resolves with the next request to a path starting with `path` (alias of `waitForRequest`). */
  nextRequest(path: string): Promise<RecordedRequest> {
    return this.waitForRequest(path);
  }

  /** Resolves when the next response on a path starting with `path` closes (alias of `waitForClose`). */
  async nextClose(path: string): Promise<OllamaClosedResponse> {
    const closed = await this.waitForClose(path);
    return { path: closed.path, completed: closed.completed };
  }

  protected override modelOf(
    request: RecordedRequest,
    params: Readonly<Record<string, string>>,
  ): string | undefined {
    return nameIn(request) || params.model;
  }

  /** Registers an `/api/*` route: the script's override, the hosted-Ollama key check. */
  private api(method: string, path: string, handler: RouteHandler): void {
    this.route(method, path, async (ctx) => {
      const { res, request } = ctx;
      if (await applyStatusScript(res, ctx.script)) return;
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
      const at = this.installed.get(name);
      if (expires <= now || !at) continue;
      const entry = ollamaTagEntry(name, at);
      out.push({ ...entry, expires_at: new Date(expires).toISOString(), size_vram: entry.size });
    }
    return out;
  }

  private show({ res, request, script }: RequestContext): Promise<void> {
    const name = nameIn(request);
    const at = this.installed.get(normalizeOllamaModelName(name));
    if (!at) return sendOllamaError(res, 404, `model '${name}' not found`);
    return sendJson(res, 200, ollamaShowResponse(name, at), script);
  }

  private async delete({ res, request }: RequestContext): Promise<void> {
    const name = nameIn(request);
    if (!this.hasModel(name)) return sendOllamaError(res, 404, `model '${name}' not found`);
    this.removeModel(name);
    res.writeHead(200).end();
  }

  private async pull(ctx: RequestContext): Promise<void> {
    const script = ctx.script as OllamaFaultScript | undefined;
    const name = nameIn(ctx.request);
    if (name === '') return sendOllamaError(ctx.res, 400, 'model is required');
    const succeeds =
      script?.streamErrorAfter === undefined &&
      script?.cutAfterChunks === undefined &&
      script?.malformedAt === undefined;
    if (ollamaBodyOf(ctx.request).stream === false) {
      if (!succeeds)
        return sendOllamaError(ctx.res, 500, script?.errorMessage ?? 'pull failed', script);
      this.installModel(name);
      return sendJson(ctx.res, 200, { status: 'success' }, script);
    }
    // A pull that will succeed installs the model before `success` goes out, so a
    // client acting on `success` at once finds it; a client leaving early undoes it.
    const wasInstalled = this.hasModel(name);
    if (succeeds) this.installModel(name);
    await writeOllamaStream(ctx.res, ollamaPullLines(name), script);
    if (!ctx.res.writableFinished && !wasInstalled) this.removeModel(name);
  }
}
