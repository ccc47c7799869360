import { createHash } from 'node:crypto';

/** `details` of a model as `/api/tags`, `/api/show` and `/api/ps` report it. */
export interface OllamaModelDetails {
  readonly parent_model: string;
  readonly format: string;
  readonly family: string;
  readonly families: readonly string[];
  readonly parameter_size: string;
  readonly quantization_level: string;
}

/** One entry of `/api/tags`. */
export interface OllamaTagEntry {
  readonly name: string;
  readonly model: string;
  readonly modified_at: string;
  readonly size: number;
  readonly digest: string;
  readonly details: OllamaModelDetails;
}

/** The models a fresh fake server has installed unless told otherwise. */
export const DEFAULT_OLLAMA_MODELS: readonly string[] = [
  'llama3.2:latest',
  'llama3.1:8b',
  'qwen2.5-coder:7b',
  'nomic-embed-text:latest',
];

/** `llama3.2` and `llama3.2:latest` name the same model; this gives the full name. */
export function normalizeOllamaModelName(name: string): string {
  const trimmed = name.trim();
  const lastSegment = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? trimmed : `${trimmed}:latest`;
}

interface FamilyInfo {
  readonly family: string;
  readonly params: number;
  readonly contextLength: number;
  readonly capabilities: readonly string[];
  readonly embeddingLength?: number;
}

const CHAT = ['completion'];
const TOOLS = ['completion', 'tools'];
const FAMILIES: Readonly<Record<string, FamilyInfo>> = {
  'llama3.1': { family: 'llama', params: 8, contextLength: 131_072, capabilities: TOOLS },
  'llama3.2': { family: 'llama', params: 3.2, contextLength: 131_072, capabilities: TOOLS },
  'llama3.3': { family: 'llama', params: 70.6, contextLength: 131_072, capabilities: TOOLS },
  'qwen2.5': { family: 'qwen2', params: 7.6, contextLength: 32_768, capabilities: TOOLS },
  'qwen2.5-coder': { family: 'qwen2', params: 7.6, contextLength: 32_768, capabilities: TOOLS },
  qwen3: {
    family: 'qwen3',
    params: 8.2,
    contextLength: 40_960,
    capabilities: [...TOOLS, 'thinking'],
  },
  mistral: { family: 'llama', params: 7.2, contextLength: 32_768, capabilities: TOOLS },
  mixtral: { family: 'llama', params: 46.7, contextLength: 32_768, capabilities: TOOLS },
  gemma2: { family: 'gemma2', params: 9.2, contextLength: 8_192, capabilities: CHAT },
  gemma3: {
    family: 'gemma3',
    params: 4.3,
    contextLength: 131_072,
    capabilities: [...CHAT, 'vision'],
  },
  phi3: { family: 'phi3', params: 3.8, contextLength: 4_096, capabilities: CHAT },
  phi4: { family: 'phi3', params: 14.7, contextLength: 16_384, capabilities: CHAT },
  'deepseek-r1': {
    family: 'qwen2',
    params: 8.2,
    contextLength: 131_072,
    capabilities: [...TOOLS, 'thinking'],
  },
  codellama: { family: 'llama', params: 7, contextLength: 16_384, capabilities: CHAT },
  llava: { family: 'llama', params: 7.2, contextLength: 32_768, capabilities: [...CHAT, 'vision'] },
  'nomic-embed-text': {
    family: 'nomic-bert',
    params: 0.137,
    contextLength: 2_048,
    capabilities: ['embedding'],
    embeddingLength: 768,
  },
  'mxbai-embed-large': {
    family: 'bert',
    params: 0.334,
    contextLength: 512,
    capabilities: ['embedding'],
    embeddingLength: 1_024,
  },
  'all-minilm': {
    family: 'bert',
    params: 0.023,
    contextLength: 512,
    capabilities: ['embedding'],
    embeddingLength: 384,
  },
};

function familyOf(name: string): FamilyInfo {
  const base = normalizeOllamaModelName(name).split(':')[0]!.replace(/^.*\//, '').toLowerCase();
  return (
    FAMILIES[base] ?? {
      family: base.match(/^[a-z]+/)?.[0] ?? 'llama',
      params: 7,
      contextLength: 8_192,
      capabilities: CHAT,
    }
  );
}

/** Parameter count in billions, from a tag like `:8b` or `:270m`, else the family's default. */
function paramsOf(name: string, info: FamilyInfo): number {
  const tag = normalizeOllamaModelName(name).split(':')[1] ?? '';
  const m = /(?:^|[-_x])(\d+(?:\.\d+)?)([bm])(?:$|[-_])/i.exec(tag);
  if (!m) return info.params;
  const n = Number.parseFloat(m[1]!);
  return m[2]!.toLowerCase() === 'm' ? n / 1000 : n;
}

export function ollamaDigest(name: string, layer = 'model'): string {
  return `sha256:${createHash('sha256')
    .update(`${normalizeOllamaModelName(name)}\u0000${layer}`)
    .digest('hex')}`;
}

/** Size on disk: about 4.85 bits a parameter (Q4_K_M), F16 for the small embedding models. */
export function ollamaModelSize(name: string): number {
  const info = familyOf(name);
  const params = paramsOf(name, info);
  return Math.round(params * 1e9 * (info.embeddingLength ? 2 : 0.606));
}

export function ollamaModelDetails(name: string): OllamaModelDetails {
  const info = familyOf(name);
  const params = paramsOf(name, info);
  return {
    parent_model: '',
    format: 'gguf',
    family: info.family,
    families: [info.family],
    parameter_size: params >= 1 ? `${params.toFixed(1)}B` : `${Math.round(params * 1000)}M`,
    quantization_level: info.embeddingLength ? 'F16' : 'Q4_K_M',
  };
}

export function ollamaTagEntry(name: string, modifiedAt: Date): OllamaTagEntry {
  const full = normalizeOllamaModelName(name);
  return {
    name: full,
    model: full,
    modified_at: modifiedAt.toISOString(),
    size: ollamaModelSize(full),
    digest: ollamaDigest(full).slice('sha256:'.length),
    details: ollamaModelDetails(full),
  };
}

/** Length of the vectors `/api/embed` returns for a model. */
export function ollamaEmbeddingLength(name: string): number {
  return familyOf(name).embeddingLength ?? 768;
}

/** What `/api/show` answers for an installed model. */
export function ollamaShowResponse(name: string, modifiedAt: Date): Record<string, unknown> {
  const info = familyOf(name);
  const details = ollamaModelDetails(name);
  return {
    license: 'Simulated license text.',
    modelfile: `# Modelfile generated by "ollama show"\nFROM ${normalizeOllamaModelName(name)}\n`,
    parameters: 'stop                           "<|eot_id|>"',
    template: '{{ .Prompt }}',
    details,
    model_info: {
      'general.architecture': info.family,
      'general.parameter_count': Math.round(paramsOf(name, info) * 1e9),
      [`${info.family}.context_length`]: info.contextLength,
      ...(info.embeddingLength
        ? { [`${info.family}.embedding_length`]: info.embeddingLength }
        : {}),
    },
    capabilities: info.capabilities,
    modified_at: modifiedAt.toISOString(),
  };
}

/**
 * The progress lines of a pull: the manifest, each layer in a few steps
 * (`completed` left out while zero, as Ollama's `omitempty` does), the
 * digest check, the manifest write and `success`.
 */
export function ollamaPullLines(name: string): unknown[] {
  const layers: [string, number, number][] = [
    ['model', ollamaModelSize(name), 4],
    ['template', 1_429, 1],
    ['license', 7_711, 1],
    ['params', 96, 1],
  ];
  const lines: unknown[] = [{ status: 'pulling manifest' }];
  for (const [layer, total, steps] of layers) {
    const digest = ollamaDigest(name, layer);
    const status = `pulling ${digest.slice(7, 19)}`;
    lines.push({ status, digest, total });
    for (let step = 1; step <= steps; step++) {
      lines.push({ status, digest, total, completed: Math.round((total * step) / steps) });
    }
  }
  lines.push(
    { status: 'verifying sha256 digest' },
    { status: 'writing manifest' },
    { status: 'success' },
  );
  return lines;
}
