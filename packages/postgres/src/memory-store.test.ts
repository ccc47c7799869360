import { describeStoreBehaviour } from './__tests__/store-behaviour.js';
import { createMemoryStore } from './memory-store.js';

describeStoreBehaviour('memory', async () => {
  let offsetMs = 0;
  const store = createMemoryStore({ now: () => new Date(Date.now() + offsetMs) });
  return {
    store,
    async ageClaims(_batchId, ms) {
      offsetMs += ms;
    },
    async feedbackCount(requestId) {
      return store.feedbackRecords().filter((f) => f.requestId === requestId).length;
    },
    close: () => store.close(),
  };
});
