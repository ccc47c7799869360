import { FakeOpenAIServer, type FakeOpenAIServerOptions } from '../openai/fake-openai-server.js';
import type { OpenAIErrorSpec } from '../openai/openai-error-body.js';
import { sendJson } from '../write-stream.js';
import { type AzureService, azureErrorBody, contentFilterResults } from './azure-error-body.js';
import { catalogEntry, DEFAULT_GITHUB_MODELS } from './github-catalog.js';

export interface FakeAzureServerOptions extends Omit<FakeOpenAIServerOptions, 'auth' | 'prefix'> {
  /**
   * `github`: GitHub Models (`/inference`, Bearer token, `GET /catalog/models`).
   * `foundry`: Azure AI Foundry / Azure OpenAI v1 (`/openai/v1`, `api-key` header).
   */
  readonly service?: AzureService;
  /** The token (GitHub) or key (Foundry) the server expects; unset accepts any request. */
  readonly apiKey?: string;
  /** Override the path prefix. */
  readonly prefix?: string;
}

const FOUNDRY_DEPLOYMENTS = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'o4-mini',
  'text-embedding-3-small',
];

/**
 * GitHub Models or Azure AI Foundry on loopback: the OpenAI protocol of
 * FakeOpenAIServer under the service's prefix and auth, with Azure's
 * content-filter annotations (`prompt_filter_results`,
 * `content_filter_results`) and error shapes, and, for GitHub, the model
 * catalogue at `GET /catalog/models`.
 */
export class FakeAzureServer extends FakeOpenAIServer {
  readonly service: AzureService;

  constructor(options: FakeAzureServerOptions = {}) {
    const service = options.service ?? 'github';
    super({
      ...options,
      prefix: options.prefix ?? (service === 'github' ? '/inference' : '/openai/v1'),
      auth: {
        scheme: service === 'github' ? 'bearer' : 'api-key',
        ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
      },
      models:
        options.models ?? (service === 'github' ? DEFAULT_GITHUB_MODELS : FOUNDRY_DEPLOYMENTS),
    });
    this.service = service;
    if (service === 'github') {
      this.absoluteRoute('GET', '/catalog/models', (ctx) =>
        sendJson(ctx.res, 200, this.listedModels().map(catalogEntry), ctx.effectiveScript, {
          ...ctx.responseHeaders,
          'x-github-request-id': ctx.responseHeaders['x-request-id'] ?? '',
        }),
      );
    }
  }

  override errorBody(spec: OpenAIErrorSpec): unknown {
    return azureErrorBody(this.service, spec);
  }

  override decorateCompletion(completion: Record<string, unknown>): void {
    completion.prompt_filter_results = [
      { prompt_index: 0, content_filter_results: contentFilterResults(false) },
    ];
    const choices = completion.choices as Record<string, unknown>[];
    for (const choice of choices) {
      choice.content_filter_results = contentFilterResults(
        choice.finish_reason === 'content_filter',
      );
    }
  }

  /** Azure streams open with a chunk that has no choices, only the prompt's filter results. */
  override decorateChunks(chunks: Record<string, unknown>[]): Record<string, unknown>[] {
    const first = chunks[0];
    if (!first) return chunks;
    const filterChunk = {
      choices: [],
      created: 0,
      id: '',
      model: '',
      object: '',
      prompt_filter_results: [
        { prompt_index: 0, content_filter_results: contentFilterResults(false) },
      ],
    };
    for (const chunk of chunks) {
      for (const choice of (chunk.choices as Record<string, unknown>[]) ?? []) {
        const filtered = choice.finish_reason === 'content_filter';
        if (choice.finish_reason != null || Object.keys(choice.delta as object).length > 0) {
          choice.content_filter_results = filtered ? contentFilterResults(true) : {};
        }
      }
    }
    return [filterChunk, ...chunks];
  }

  protected override authFailure(provided: string | undefined): OpenAIErrorSpec {
    if (this.service === 'github') {
      return {
        status: 401,
        code: 'unauthorized',
        message: provided ? 'Bad credentials' : 'Requires authentication',
      };
    }
    return {
      status: 401,
      code: '401',
      message:
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    };
  }
}
