import { type OpenAIErrorSpec, openAIErrorBody } from '../openai/openai-error-body.js';

export type AzureService = 'github' | 'foundry';

/** The content-filter verdicts Azure attaches to prompts and completions. */
export function contentFilterResults(filtered: boolean): Record<string, unknown> {
  const safe = { filtered: false, severity: 'safe' };
  return {
    hate: safe,
    self_harm: safe,
    sexual: safe,
    violence: filtered ? { filtered: true, severity: 'medium' } : safe,
  };
}

/**
 * Errors as Azure AI Foundry and GitHub Models send them. Validation errors
 * keep OpenAI's envelope; rate limits, auth and content filtering use the
 * services' own codes and words (content filtering with its `innererror`).
 */
export function azureErrorBody(service: AzureService, spec: OpenAIErrorSpec): unknown {
  if (spec.code === 'content_filter' || spec.code === 'content_policy_violation') {
    return {
      error: {
        message:
          spec.message ??
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: contentFilterResults(true),
        },
      },
    };
  }
  if (spec.status === 401) {
    const message = spec.message ?? 'Bad credentials';
    return service === 'github'
      ? { error: { code: spec.code ?? 'unauthorized', message, details: message } }
      : { error: { code: spec.code ?? '401', message } };
  }
  if (spec.status === 429 && spec.code === undefined) {
    if (service === 'github') {
      const message =
        spec.message ??
        'Rate limit of 10 per 60s exceeded for UserByModelByMinute. Please wait 42 seconds before retrying.';
      return { error: { code: 'RateLimitReached', message, details: message } };
    }
    return {
      error: {
        code: '429',
        message:
          spec.message ??
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version v1 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second. Please contact Azure support service if you would like to further increase the default rate limit.',
      },
    };
  }
  if (spec.status >= 500 && spec.status !== 503 && spec.code === undefined) {
    const message =
      spec.message ??
      'The service is temporarily unable to process your request. Please try again later.';
    return service === 'github'
      ? { error: { code: 'InternalServerError', message, details: message } }
      : { error: { code: 'InternalServerError', message } };
  }
  return openAIErrorBody(spec);
}
