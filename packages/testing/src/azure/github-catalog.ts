/** One entry of GitHub Models' `GET /catalog/models`. */
export interface GitHubCatalogEntry {
  readonly id: string;
  readonly name: string;
  readonly publisher: string;
  readonly registry: string;
  readonly summary: string;
  readonly html_url: string;
  readonly version: string;
  readonly capabilities: readonly string[];
  readonly limits: { readonly max_input_tokens: number; readonly max_output_tokens: number };
  readonly rate_limit_tier: string;
  readonly supported_input_modalities: readonly string[];
  readonly supported_output_modalities: readonly string[];
  readonly tags: readonly string[];
}

/** Ids the fake GitHub Models service serves unless told otherwise (the catalogue's own spelling). */
export const DEFAULT_GITHUB_MODELS: readonly string[] = [
  'openai/gpt-4.1',
  'openai/gpt-4.1-mini',
  'openai/gpt-4o',
  'openai/gpt-4o-mini',
  'openai/o3-mini',
  'openai/o4-mini',
  'openai/text-embedding-3-small',
  'cohere/cohere-command-r-08-2024',
  'cohere/cohere-command-r-plus-08-2024',
  'meta/meta-llama-3.1-70b-instruct',
  'meta/meta-llama-3.1-405b-instruct',
  'meta/llama-3.3-70b-instruct',
  'mistral-ai/codestral-2501',
  'mistral-ai/mistral-large-2411',
  'mistral-ai/mistral-nemo',
  'microsoft/phi-4',
  'deepseek/deepseek-r1',
];

const PUBLISHERS: Readonly<Record<string, readonly [string, string]>> = {
  openai: ['OpenAI', 'azure-openai'],
  cohere: ['Cohere', 'azureml-cohere'],
  meta: ['Meta', 'azureml-meta'],
  'mistral-ai': ['Mistral AI', 'azureml-mistral'],
  microsoft: ['Microsoft', 'azureml'],
  deepseek: ['DeepSeek', 'azureml-deepseek'],
};

/** A plausible catalogue entry for a model id. */
export function catalogEntry(id: string): GitHubCatalogEntry {
  const [publisherId = '', name = id] = id.includes('/') ? id.split('/', 2) : ['', id];
  const [publisher, registry] = PUBLISHERS[publisherId] ?? [publisherId, 'azureml'];
  const embedding = name.includes('embedding');
  const openai = publisherId === 'openai';
  return {
    id,
    name: name
      .split('-')
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join(' '),
    publisher,
    registry,
    summary: `${name} served by GitHub Models.`,
    html_url: `https://github.com/marketplace/models/${registry}/${name}`,
    version: '1',
    capabilities: embedding ? [] : openai ? ['streaming', 'tool-calling'] : ['streaming'],
    limits: {
      max_input_tokens: openai ? 131_072 : 8_000,
      max_output_tokens: embedding ? 0 : 4_096,
    },
    rate_limit_tier: embedding ? 'embeddings' : name.includes('mini') ? 'low' : 'high',
    supported_input_modalities: openai && !embedding ? ['text', 'image'] : ['text'],
    supported_output_modalities: embedding ? ['embeddings'] : ['text'],
    tags: embedding ? ['rag', 'multilingual'] : ['multipurpose', 'multilingual'],
  };
}
