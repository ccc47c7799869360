/** One entry of `GET /v1beta/models`, as the Gemini API describes a model. */
export interface GeminiModelInfo {
  readonly name: string;
  readonly version: string;
  readonly displayName: string;
  readonly description: string;
  readonly inputTokenLimit: number;
  readonly outputTokenLimit: number;
  readonly supportedGenerationMethods: readonly string[];
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly maxTemperature?: number;
  readonly thinking?: boolean;
}

const GENERATE = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];
const EMBED = ['embedContent', 'countTokens', 'countTextTokens', 'asyncBatchEmbedContent'];

function chat(
  id: string,
  displayName: string,
  input: number,
  output: number,
  thinking: boolean,
): GeminiModelInfo {
  return {
    name: `models/${id}`,
    version: id.includes('preview') ? `${id.replace(/^gemini-/, '')}` : '001',
    displayName,
    description: `${displayName} (simulated by @orchestrator/testing)`,
    inputTokenLimit: input,
    outputTokenLimit: output,
    supportedGenerationMethods: GENERATE,
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    ...(thinking ? { thinking: true } : {}),
  };
}

function embedding(id: string, displayName: string): GeminiModelInfo {
  return {
    name: `models/${id}`,
    version: id === 'text-embedding-004' ? '004' : '001',
    displayName,
    description: `${displayName} (simulated by @orchestrator/testing)`,
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    supportedGenerationMethods: EMBED,
  };
}

/** The models the fake lists by default. */
export const GEMINI_CATALOG: readonly GeminiModelInfo[] = [
  chat('gemini-3.1-pro-preview', 'Gemini 3.1 Pro Preview', 1_048_576, 65_536, true),
  chat('gemini-3-flash-preview', 'Gemini 3 Flash Preview', 1_048_576, 65_536, true),
  chat('gemini-2.5-pro', 'Gemini 2.5 Pro', 1_048_576, 65_536, true),
  chat('gemini-2.5-flash', 'Gemini 2.5 Flash', 1_048_576, 65_536, true),
  chat('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', 1_048_576, 65_536, true),
  chat('gemini-2.0-flash', 'Gemini 2.0 Flash', 1_048_576, 8_192, false),
  chat('gemini-2.0-flash-lite', 'Gemini 2.0 Flash-Lite', 1_048_576, 8_192, false),
  embedding('gemini-embedding-001', 'Gemini Embedding 001'),
  embedding('text-embedding-004', 'Text Embedding 004'),
];
