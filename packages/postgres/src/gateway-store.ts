/**
 * The gateway's durable store, as the server uses it. Implemented over
 * PostgreSQL (the `pg` driver, by URL), PGlite (embedded, a data directory)
 * and memory (tests); one set of SQL migrations serves both databases.
 */

/** A model registered through the management API (or config), without secrets. */
export interface StoredModel {
  /** The registry name requests use. */
  readonly name: string;
  /** Adapter: openai, anthropic, google, huggingface, ollama, azure. */
  readonly provider: string;
  /** The provider's own model id. */
  readonly modelId: string;
  /** Adapter settings that are not secrets: baseURL, capabilities, pricing, constraints… */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface StoredApiKey {
  readonly id: string;
  /** First characters of the key, for people to recognise it; never enough to use it. */
  readonly prefix: string;
  /** SHA-256 of the key, hex. The key itself is never stored. */
  readonly hash: string;
  /** The identity requests made with this key act as. */
  readonly user: string;
  readonly name: string | null;
  /** Models this key may use; null = all. */
  readonly allowedModels: readonly string[] | null;
  readonly budgetUsd: number | null;
  readonly budgetPeriod: 'daily' | 'weekly' | 'monthly' | 'total' | null;
  readonly rpm: number | null;
  readonly tpm: number | null;
  readonly admin: boolean;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** One row per attempt, keyed by the gateway's own request id and attempt number. */
export interface UsageRecord {
  readonly requestId: string;
  readonly attempt: number;
  readonly user: string | null;
  readonly model: string;
  readonly provider: string;
  readonly outcome: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly latencyMs: number;
  readonly cached: boolean;
  readonly partial: boolean;
  readonly possiblyBilled: boolean;
  readonly errorCode: string | null;
  readonly createdAt: Date;
}

export type BatchStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type BatchItemStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface BatchRecord {
  readonly id: string;
  readonly user: string | null;
  readonly status: BatchStatus;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly options: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface BatchItemRecord {
  readonly batchId: string;
  readonly index: number;
  readonly request: unknown;
  readonly status: BatchItemStatus;
  readonly result: unknown;
  readonly error: unknown;
  /** Bumped each time a worker claims the item, so a restart can tell stale claims. */
  readonly attempts: number;
  readonly updatedAt: Date;
}

export interface FeedbackRecord {
  readonly requestId: string;
  readonly user: string | null;
  readonly model: string;
  readonly score: number;
  readonly comment: string | null;
  readonly createdAt: Date;
}

export interface PreferenceRecord {
  readonly user: string;
  readonly strategy: string | null;
  readonly weights: Readonly<{ cost?: number; speed?: number; quality?: number }> | null;
  readonly updatedAt: Date;
}

export interface GatewayStore {
  readonly kind: 'postgres' | 'pglite' | 'memory';
  /** Applies pending migrations (idempotent, safe for concurrent instances). */
  migrate(): Promise<void>;
  /** Flushes the usage outbox (bounded wait) and closes connections. */
  close(): Promise<void>;

  readonly models: {
    list(): Promise<StoredModel[]>;
    get(name: string): Promise<StoredModel | undefined>;
    /** Insert or replace by name. */
    upsert(model: Omit<StoredModel, 'createdAt' | 'updatedAt'>): Promise<StoredModel>;
    delete(name: string): Promise<boolean>;
  };

  readonly keys: {
    create(
      key: Omit<StoredApiKey, 'createdAt' | 'revokedAt' | 'lastUsedAt'>,
    ): Promise<StoredApiKey>;
    findByHash(hash: string): Promise<StoredApiKey | undefined>;
    list(user?: string): Promise<StoredApiKey[]>;
    revoke(id: string): Promise<boolean>;
    touch(id: string, at: Date): Promise<void>;
  };

  readonly usage: {
    /**
     * Queues a record. Never throws and never loses a record: while the
     * database is unreachable records wait in a bounded outbox (the oldest
     * are counted as dropped only past its bound) and are written exactly
     * once, keyed by (requestId, attempt), when it returns.
     */
    record(record: UsageRecord): void;
    /** Writes what is queued; resolves when the outbox is empty or the database is down. */
    flush(): Promise<void>;
    /** Records waiting in the outbox and records dropped past its bound. */
    outboxStats(): { pending: number; dropped: number; written: number };
    query(filter: { user?: string; since?: Date; limit?: number }): Promise<UsageRecord[]>;
  };

  readonly batches: {
    /** Creates a batch with all its items in one transaction. */
    create(
      batch: Omit<BatchRecord, 'createdAt' | 'updatedAt' | 'succeeded' | 'failed' | 'status'>,
      requests: readonly unknown[],
    ): Promise<BatchRecord>;
    get(id: string): Promise<BatchRecord | undefined>;
    items(id: string): Promise<BatchItemRecord[]>;
    /**
     * Claims up to `limit` pending items (or running ones whose claim is older
     * than `staleAfterMs`, left by a crashed worker) atomically, so two
     * workers never run the same item.
     */
    claim(id: string, limit: number, staleAfterMs: number): Promise<BatchItemRecord[]>;
    /**
     * Renews the claims on running items (their claim age restarts now), so a
     * worker that is still alive keeps items whose calls outlast
     * `staleAfterMs`. Items no longer running are left alone. Resolves with
     * how many were renewed.
     */
    renew(id: string, indices: readonly number[]): Promise<number>;
    /** Records an item's outcome once; a second completion of the same item changes nothing. */
    complete(
      id: string,
      index: number,
      outcome: { status: 'succeeded' | 'failed'; result?: unknown; error?: unknown },
    ): Promise<boolean>;
    /** Batches with pending or stale running items (to resume after a restart). */
    unfinished(): Promise<BatchRecord[]>;
  };

  readonly feedback: {
    record(feedback: Omit<FeedbackRecord, 'createdAt'>): Promise<void>;
  };

  readonly preferences: {
    get(user: string): Promise<PreferenceRecord | undefined>;
    set(
      user: string,
      preferences: Omit<PreferenceRecord, 'user' | 'updatedAt'>,
    ): Promise<PreferenceRecord>;
  };
}
