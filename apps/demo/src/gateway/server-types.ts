import type { CreateServerOptions } from '@orchestrator/server';

export type { CachedEntry, ChatResponse } from '@orchestrator/core';

/** The shared-state backends `createServer` takes. */
export type CreateServerStores = NonNullable<CreateServerOptions['stores']>;
