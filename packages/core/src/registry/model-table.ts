import type { CircuitBreaker } from '../health/circuit-breaker.js';
import type { Model } from '../model/model.js';
import type { ModelMetrics } from '../model/model-metrics.js';
import type { CandidateTable } from '../selectors/candidate-table.js';
import { CAPABILITIES, type Capability, TASK_TYPES, type TaskType } from '../types/capabilities.js';

export const CAPABILITY_BIT = new Map<Capability, number>(CAPABILITIES.map((c, i) => [c, 1 << i]));
/** Declared task types as bits, so the task filter is one AND; 0 means "general purpose". */
export const TASK_BIT = new Map<string, number>(TASK_TYPES.map((t, i) => [t, 1 << i]));
export const DECLARES_TASKS = 1 << 31;

const NUMERIC_COLUMNS = [
  'capabilityMask',
  'taskMask',
  'contextWindow',
  'inputPerMillion',
  'outputPerMillion',
  'perRequest',
  'maxCostPerRequest',
  'qualityScore',
  'firstTokenLatencyMs',
  'declaredTokensPerSecond',
  'latencyEwmaMs',
  'liveTokensPerSecond',
  'meanReward',
  'requests',
  'successes',
] as const;
type NumericColumn = (typeof NUMERIC_COLUMNS)[number];

/** A model's current slot in a ModelTable (-1 once removed). */
export interface SlotRef {
  slot: number;
}

/**
 * The registry's models in columns (see CandidateTable): one slot per model
 * in registration order, static figures written on register, live ones on
 * every change of the model's metrics (ModelMetrics.watch). The filter and
 * the selectors' column paths scan these instead of the model objects.
 */
export class ModelTable implements CandidateTable {
  size = 0;
  /** Replaced by a copy on removal (appends are safe for captured references). */
  models: Model[] = [];
  names: string[] = [];
  providers: string[] = [];
  /** Declared task types, for task names outside TASK_TYPES (no bit). */
  taskTypes: (readonly string[])[] = [];
  breakers: CircuitBreaker[] = [];
  /** Each model's slot, kept current on removal (metrics listeners and the registry hold these). */
  private refs: SlotRef[] = [];
  private unwatch: (() => void)[] = [];
  /** Each model's metrics, and a function that tells its watcher the model moved. */
  private metrics: ModelMetrics[] = [];
  private movers: ((slot: number) => void)[] = [];

  capabilityMask = new Int32Array(16);
  taskMask = new Int32Array(16);
  contextWindow = new Float64Array(16);
  inputPerMillion = new Float64Array(16);
  outputPerMillion = new Float64Array(16);
  perRequest = new Float64Array(16);
  maxCostPerRequest = new Float64Array(16);
  qualityScore = new Float64Array(16);
  firstTokenLatencyMs = new Float64Array(16);
  declaredTokensPerSecond = new Float64Array(16);
  latencyEwmaMs = new Float64Array(16);
  liveTokensPerSecond = new Float64Array(16);
  meanReward = new Float64Array(16);
  requests = new Float64Array(16);
  successes = new Float64Array(16);
  /** Prior quality per task, built on first use and dropped when the models change. */
  private priors = new Map<string, Float64Array>();
  /**
   * Models whose metrics changed since their live columns were copied. A
   * change only marks the slot (record() runs for every outcome, and among
   * thousands of models five scattered column writes cost it more than the
   * mark); `sync`, before every read of the columns, copies each once.
   */
  private staleFlags = new Uint8Array(16);
  private staleSlots = new Int32Array(16);
  private staleCount = 0;

  /**
   * Appends `model` (capabilities and pricing are read once, as the registry
   * always has); `ref` is kept current with the model's slot until removal.
   */
  add<R extends SlotRef>(model: Model, breaker: CircuitBreaker, ref: R): R {
    const slot = this.size;
    if (slot === this.capabilityMask.length) this.grow(slot * 2);
    const caps = model.capabilities;
    let capabilityMask = 0;
    for (const c of caps.features) capabilityMask |= CAPABILITY_BIT.get(c) ?? 0;
    // The sign bit says "declares task types" (a declared name outside TASK_TYPES has no bit).
    let taskMask = caps.taskTypes.length > 0 ? DECLARES_TASKS : 0;
    for (const t of caps.taskTypes) taskMask |= TASK_BIT.get(t) ?? 0;
    this.capabilityMask[slot] = capabilityMask;
    this.taskMask[slot] = taskMask;
    this.contextWindow[slot] = caps.contextWindow;
    this.inputPerMillion[slot] = model.pricing.inputPerMillion;
    this.outputPerMillion[slot] = model.pricing.outputPerMillion;
    this.perRequest[slot] = model.pricing.perRequest ?? 0;
    this.maxCostPerRequest[slot] = model.constraints.maxCostPerRequest ?? Number.POSITIVE_INFINITY;
    this.qualityScore[slot] = caps.qualityScore;
    this.firstTokenLatencyMs[slot] = caps.firstTokenLatencyMs ?? Number.NaN;
    this.declaredTokensPerSecond[slot] = caps.tokensPerSecond ?? Number.NaN;
    this.models.push(model);
    this.names.push(model.name);
    this.providers.push(model.provider);
    this.taskTypes.push(caps.taskTypes);
    this.breakers.push(breaker);
    this.size = slot + 1;
    const metrics = model.metrics;
    this.refresh(slot, metrics);
    ref.slot = slot;
    this.refs.push(ref);
    this.metrics.push(metrics);
    // The watcher keeps its slot in its own closure (moved by `movers` on removal), so
    // a change reads nothing but the table's flags.
    let current = slot;
    this.movers.push((moved) => {
      current = moved;
    });
    this.unwatch.push(metrics.watch(() => this.markStale(current)));
    this.priors.clear();
    return ref;
  }

  /**
   * Notes that the metrics of the model in `slot` changed (its watcher does
   * this; so does the registry's record(), which records without calling it).
   */
  markStale(slot: number): void {
    if (this.staleFlags[slot] !== 0) return;
    this.staleFlags[slot] = 1;
    this.staleSlots[this.staleCount++] = slot;
  }

  /** Removes a model; later slots move down one, keeping registration order. */
  remove(ref: SlotRef): void {
    const slot = ref.slot;
    if (this.refs[slot] !== ref) throw new Error('ModelTable.remove(): stale slot');
    // Pending copies name slots that are about to move: make them first.
    this.sync();
    this.unwatch[slot]!();
    for (let i = slot + 1; i < this.size; i++) {
      this.refs[i]!.slot = i - 1;
      this.movers[i]!(i - 1);
    }
    ref.slot = -1;
    const n = this.size;
    for (const name of NUMERIC_COLUMNS) {
      const column = this[name];
      column.copyWithin(slot, slot + 1, n);
    }
    this.models = this.models.filter((_, i) => i !== slot);
    for (const list of [
      this.names,
      this.providers,
      this.taskTypes,
      this.breakers,
      this.refs,
      this.unwatch,
      this.metrics,
      this.movers,
    ]) {
      list.splice(slot, 1);
    }
    this.size = n - 1;
    this.priors.clear();
  }

  /** Brings the live columns up to date; call before reading them. */
  sync(): void {
    const count = this.staleCount;
    if (count === 0) return;
    const slots = this.staleSlots;
    const flags = this.staleFlags;
    for (let i = 0; i < count; i++) {
      const slot = slots[i]!;
      flags[slot] = 0;
      this.refresh(slot, this.metrics[slot]!);
    }
    this.staleCount = 0;
  }

  priorQuality(taskType: TaskType | undefined): Float64Array {
    if (taskType === undefined) return this.qualityScore;
    let column = this.priors.get(taskType);
    if (column === undefined || column.length < this.size) {
      column = new Float64Array(this.qualityScore.length);
      for (let s = 0; s < this.size; s++) {
        column[s] = this.models[s]!.capabilities.qualityByTask?.[taskType] ?? this.qualityScore[s]!;
      }
      this.priors.set(taskType, column);
    }
    return column;
  }

  /** Copies the live figures of the model in `slot` from its metrics. */
  private refresh(slot: number, m: ModelMetrics): void {
    this.latencyEwmaMs[slot] = m.latencyEwmaMs ?? Number.NaN;
    this.liveTokensPerSecond[slot] = m.tokensPerSecond ?? Number.NaN;
    this.meanReward[slot] = m.meanReward ?? Number.NaN;
    this.requests[slot] = m.requests;
    this.successes[slot] = m.successes;
  }

  private grow(capacity: number): void {
    const flags = new Uint8Array(capacity);
    flags.set(this.staleFlags);
    this.staleFlags = flags;
    const slots = new Int32Array(capacity);
    slots.set(this.staleSlots);
    this.staleSlots = slots;
    for (const name of NUMERIC_COLUMNS) {
      const old = this[name];
      const column = (
        old instanceof Int32Array ? new Int32Array(capacity) : new Float64Array(capacity)
      ) as typeof old;
      column.set(old);
      (this as Record<NumericColumn, Int32Array | Float64Array>)[name] = column;
    }
  }
}
