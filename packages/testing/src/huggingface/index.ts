export {
  FakeHuggingFaceServer,
  type FakeHuggingFaceServerOptions,
} from './fake-huggingface-server.js';
export { TGI_FINGERPRINT } from './huggingface-chat-payloads.js';
export {
  type ErrorShape as HuggingFaceErrorShape,
  errorBody as huggingFaceErrorBody,
  loadingBody as huggingFaceLoadingBody,
  loadingScript as huggingFaceLoadingScript,
} from './huggingface-error-body.js';
export {
  embeddingOf as huggingFaceEmbeddingOf,
  FAKE_PROVIDERS as HUGGING_FACE_FAKE_PROVIDERS,
  type HubTask as HuggingFaceHubTask,
} from './huggingface-generation-payloads.js';
