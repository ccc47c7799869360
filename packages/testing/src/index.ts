export * from './adapter-checks.js';
export * from './anthropic/index.js';
export * from './azure/index.js';
export {
  type ClosedResponse,
  FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type RequestContext,
  type RouteHandler,
  type RouteOptions,
} from './fake-server.js';
export type { FaultScript } from './fault-script.js';
export * from './google/index.js';
export * from './huggingface/index.js';
export { DEFAULT_PROFILE, type ModelProfile, scriptFromProfile } from './model-profile.js';
export * from './ollama/index.js';
export * from './openai/index.js';
export { hashString, seededRandom } from './seeded-random.js';
export { countTokens, SIMULATED_PREFIX, simulateText, splitIntoTokens } from './simulated-text.js';
export {
  cutByServer,
  hang,
  type LineEnding,
  ndjsonLine,
  type StreamErrorEvent,
  sendJson,
  sendScriptedAnswer,
  sleep,
  sseEvent,
  writeStreamBody,
} from './write-stream.js';
