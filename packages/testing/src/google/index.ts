export {
  FakeGeminiServer,
  type FakeGeminiServerOptions,
  type GeminiArrivedRequest,
} from './fake-gemini-server.js';
export { GEMINI_CATALOG, type GeminiModelInfo } from './gemini-catalog.js';
export {
  type GoogleErrorBody,
  googleErrorBody,
  googleRetryInfo,
  googleStatusName,
} from './gemini-errors.js';
export type {
  GeminiContent,
  GeminiFaultScript,
  GeminiGenerateBody,
  GeminiPart,
} from './gemini-request.js';
