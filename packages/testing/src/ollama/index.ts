export {
  FakeOllamaServer,
  type FakeOllamaServerOptions,
  type OllamaClosedResponse,
} from './fake-ollama-server.js';
export { defaultOllamaErrorMessage, type OllamaFaultScript } from './ollama-fault-script.js';
export {
  DEFAULT_OLLAMA_MODELS,
  normalizeOllamaModelName,
  type OllamaModelDetails,
  type OllamaTagEntry,
  ollamaPullLines,
} from './ollama-model-catalog.js';
