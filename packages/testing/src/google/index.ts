export { exampleFromSchema } from './example-from-schema.js';
export {
  type ArrivedRequest,
  FakeGeminiServer,
  type FakeGeminiServerOptions,
} from './fake-gemini-server.js';
export { GEMINI_CATALOG, type GeminiModelInfo } from './gemini-catalog.js';
export {
  type GoogleErrorBody,
  googleErrorBody,
  googleStatusName,
  retryInfo,
} from './gemini-errors.js';
export type {
  GeminiContent,
  GeminiFaultScript,
  GeminiGenerateBody,
  GeminiPart,
} from './gemini-request.js';
