import { ContentPolicyError, type OrchestratorError, ProviderError } from '@orchestrator/core';
import { OpenAIModel, type SdkRequestOptions } from '@orchestrator/openai';
import { APIError } from 'openai';
import type { AzureModelId } from './azure-capabilities.js';
import {
  type AzureModelSettings,
  type AzureService,
  resolveAzureConfig,
} from './azure-settings.js';

/**
 * A model on GitHub Models or Azure AI Foundry, through their OpenAI-compatible
 * v1 endpoints and the official `openai` SDK. Everything about requests,
 * streams and errors is OpenAIModel's; this class adds the services' base
 * URLs, auth (Bearer GitHub token, or Foundry's `api-key` header), catalogue,
 * content-filter errors and health probes.
 */
export class AzureModel extends OpenAIModel {
  readonly service: AzureService;

  constructor(modelId: AzureModelId, settings: AzureModelSettings = {}) {
    const { service, baseURL, protocol } = resolveAzureConfig(settings);
    const {
      service: _service,
      endpoint: _e,
      resourceName: _r,
      apiVersion: _v,
      githubOrganization: _o,
      ...rest
    } = settings;
    super(modelId, { ...rest, baseURL }, protocol);
    this.service = service;
  }

  /** Azure's content filter (`code: content_filter`, `ResponsibleAIPolicyViolation`) is a content-policy refusal. */
  protected override mapError(error: unknown, signal: AbortSignal | undefined): OrchestratorError {
    const mapped = super.mapError(error, signal);
    if (
      !(error instanceof APIError) ||
      ContentPolicyError.isInstance(mapped) ||
      !ProviderError.isInstance(mapped)
    ) {
      return mapped;
    }
    const body = (
      typeof error.error === 'object' && error.error !== null ? error.error : {}
    ) as Record<string, unknown>;
    const inner = (
      typeof body.innererror === 'object' && body.innererror !== null ? body.innererror : {}
    ) as Record<string, unknown>;
    if (error.code !== 'content_filter' && inner.code !== 'ResponsibleAIPolicyViolation')
      return mapped;
    return new ContentPolicyError(mapped.message, {
      provider: mapped.provider,
      model: mapped.model,
      status: mapped.status,
      providerCode: 'content_filter',
      requestId: mapped.requestId,
    });
  }

  /**
   * GitHub Models: the catalogue (`GET /catalog/models`) must list the model.
   * Foundry: listing models proves the endpoint and key (deployment names are
   * not model ids, so they are not looked up).
   */
  protected override async probeHealth(
    requestOptions: SdkRequestOptions,
  ): Promise<string | undefined> {
    if (this.service === 'foundry') {
      await this.client.models.list(requestOptions);
      return undefined;
    }
    const catalog: unknown = await this.client.get(
      new URL('/catalog/models', this.baseURL).toString(),
      {
        ...requestOptions,
        headers: {
          ...requestOptions.headers,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
        },
      },
    );
    if (!Array.isArray(catalog)) return 'the GitHub Models catalogue did not answer with a list';
    const wanted = this.modelId.toLowerCase();
    const listed = catalog.some(
      (entry) =>
        typeof entry === 'object' &&
        entry !== null &&
        String((entry as { id?: unknown }).id).toLowerCase() === wanted,
    );
    return listed ? undefined : `model ${this.modelId} is not in the GitHub Models catalogue`;
  }
}

/** Creates an AzureModel: `createAzureModel('openai/gpt-4o-mini')` (GitHub Models, GITHUB_TOKEN). */
export function createAzureModel(
  modelId: AzureModelId,
  settings: AzureModelSettings = {},
): AzureModel {
  return new AzureModel(modelId, settings);
}
