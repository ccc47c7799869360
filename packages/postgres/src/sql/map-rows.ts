import type {
  BatchItemRecord,
  BatchItemStatus,
  BatchRecord,
  BatchStatus,
  PreferenceRecord,
  StoredApiKey,
  StoredModel,
  UsageRecord,
} from '../gateway-store.js';
import type { SqlRow } from './sql-client.js';

// Drivers differ: pg returns numeric/bigint as strings, PGlite bigint as
// numbers; timestamps are Dates in both but a string is accepted too.

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

function toTextOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function toObject(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function modelFromRow(row: SqlRow): StoredModel {
  return {
    name: String(row.name),
    provider: String(row.provider),
    modelId: String(row.model_id),
    settings: toObject(row.settings),
    enabled: row.enabled === true,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export function keyFromRow(row: SqlRow): StoredApiKey {
  return {
    id: String(row.id),
    prefix: String(row.prefix),
    hash: String(row.hash),
    user: String(row.user_id),
    name: toTextOrNull(row.name),
    allowedModels: Array.isArray(row.allowed_models) ? row.allowed_models.map(String) : null,
    budgetUsd: toNumberOrNull(row.budget_usd),
    budgetPeriod: toTextOrNull(row.budget_period) as StoredApiKey['budgetPeriod'],
    rpm: toNumberOrNull(row.rpm),
    tpm: toNumberOrNull(row.tpm),
    admin: row.admin === true,
    createdAt: toDate(row.created_at),
    revokedAt: toDateOrNull(row.revoked_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
  };
}

export function usageFromRow(row: SqlRow): UsageRecord {
  return {
    requestId: String(row.request_id),
    attempt: toNumber(row.attempt),
    user: toTextOrNull(row.user_id),
    model: String(row.model),
    provider: String(row.provider),
    outcome: String(row.outcome),
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    costUsd: toNumber(row.cost_usd),
    latencyMs: toNumber(row.latency_ms),
    cached: row.cached === true,
    partial: row.partial === true,
    possiblyBilled: row.possibly_billed === true,
    errorCode: toTextOrNull(row.error_code),
    createdAt: toDate(row.created_at),
  };
}

/** A usage record as one element of the JSON array the batch INSERT reads. */
export function usageToJson(record: UsageRecord): Record<string, unknown> {
  const finite = (n: number): number => (Number.isFinite(n) ? n : 0);
  const created = record.createdAt instanceof Date ? record.createdAt : new Date(NaN);
  return {
    request_id: record.requestId,
    attempt: record.attempt,
    user_id: record.user,
    model: record.model,
    provider: record.provider,
    outcome: record.outcome,
    input_tokens: Math.max(0, Math.round(finite(record.inputTokens))),
    output_tokens: Math.max(0, Math.round(finite(record.outputTokens))),
    cost_usd: finite(record.costUsd),
    latency_ms: finite(record.latencyMs),
    cached: record.cached === true,
    partial: record.partial === true,
    possibly_billed: record.possiblyBilled === true,
    error_code: record.errorCode,
    created_at: Number.isNaN(created.getTime()) ? new Date().toISOString() : created.toISOString(),
  };
}

export function batchFromRow(row: SqlRow): BatchRecord {
  return {
    id: String(row.id),
    user: toTextOrNull(row.user_id),
    status: String(row.status) as BatchStatus,
    total: toNumber(row.total),
    succeeded: toNumber(row.succeeded),
    failed: toNumber(row.failed),
    options: toObject(row.options),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export function itemFromRow(row: SqlRow): BatchItemRecord {
  return {
    batchId: String(row.batch_id),
    index: toNumber(row.index),
    request: row.request,
    status: String(row.status) as BatchItemStatus,
    result: row.result ?? null,
    error: row.error ?? null,
    attempts: toNumber(row.attempts),
    updatedAt: toDate(row.updated_at),
  };
}

export function preferenceFromRow(row: SqlRow): PreferenceRecord {
  const weights = row.weights;
  return {
    user: String(row.user_id),
    strategy: toTextOrNull(row.strategy),
    weights:
      typeof weights === 'object' && weights !== null
        ? (weights as PreferenceRecord['weights'])
        : null,
    updatedAt: toDate(row.updated_at),
  };
}

/** JSON text for a jsonb parameter; `undefined` becomes SQL null. */
export function jsonParam(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
