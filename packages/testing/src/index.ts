export { FakeServer, type FakeServerOptions, type RecordedRequest, type RequestContext, type RouteHandler } from './fake-server.js';
export type { FaultScript } from './fault-script.js';
export { DEFAULT_PROFILE, type ModelProfile, scriptFromProfile } from './model-profile.js';
export { hashString, seededRandom } from './seeded-random.js';
export { countTokens, SIMULATED_PREFIX, simulateText, splitIntoTokens } from './simulated-text.js';
export { hang, ndjsonLine, sendJson, sleep, sseEvent, writeStreamBody } from './write-stream.js';
