import { EventEmitter } from 'eventemitter3';
import {
  DuplicateModelError,
  type Exclusion,
  ModelNotFoundError,
  NoEligibleModelsError,
} from '../errors/registry-errors.js';
import { type CircuitBreaker, quietBreakers } from '../health/circuit-breaker.js';
import { type ModelHealth, ModelHealthMonitor } from '../health/model-health-monitor.js';
import { Model } from '../model/model.js';
import {
  ModelMetrics,
  type ModelMetricsSnapshot,
  recordSuccessAt,
  watcherCount,
} from '../model/model-metrics.js';
import type { ModelOutcome } from '../model/model-outcome.js';
import { estimateCost } from '../pricing/calculate-cost.js';
import { BalancedSelector } from '../selectors/balanced-selector.js';
import { estimateSpeed, speedAt } from '../selectors/estimates.js';
import type { ModelSelector, Selection, SelectionContext } from '../selectors/model-selector.js';
import { CAPABILITIES } from '../types/capabilities.js';
import { type Clock, systemClock } from '../util/clock.js';
import { defaultReward, latencyBudgetOf, rewardWithin } from './default-reward.js';
import { CAPABILITY_BIT, ModelTable, type SlotRef, TASK_BIT } from './model-table.js';
import type { RegistryEvents } from './registry-events.js';
import {
  DEFAULT_ESTIMATED_INPUT_TOKENS,
  DEFAULT_ESTIMATED_OUTPUT_TOKENS,
  type SelectionCriteria,
} from './selection-criteria.js';

/**
 * A registered model and its slot in the columns (kept current by the
 * table), with what record() needs at hand so it reads this one object:
 * the default reward's latency budget, the breaker, and where the metrics
 * keep their figures.
 */
interface Entry extends SlotRef {
  readonly model: Model;
  readonly metrics: ModelMetrics;
  readonly latencyBudgetMs: number;
  readonly breaker: CircuitBreaker;
  readonly breakerId: number;
  readonly figuresData: Float64Array;
  readonly figures: number;
  readonly ring: number;
}

export interface ModelRegistryOptions {
  /** Selector used by `select` when none is passed. Default: BalancedSelector. */
  readonly selector?: ModelSelector;
  /** Health monitor; one with default settings is created otherwise. */
  readonly healthMonitor?: ModelHealthMonitor;
  readonly clock?: Clock;
  /** Forms the reward of outcomes that carry none. */
  readonly reward?: (outcome: ModelOutcome, model: Model) => number;
}

export interface ModelSummary {
  readonly name: string;
  readonly provider: string;
  readonly health: ModelHealth;
  readonly metrics: ModelMetricsSnapshot;
}

/**
 * Holds the models, filters them by what a request needs, asks a selector to
 * choose, and feeds outcomes back to metrics, health and learning selectors.
 */
export class ModelRegistry extends EventEmitter<RegistryEvents> {
  readonly healthMonitor: ModelHealthMonitor;
  readonly defaultSelector: ModelSelector;
  private readonly entries = new Map<string, Entry>();
  /** The models in registration order (deterministic tie-breaks), as columns the filter scans. */
  private readonly table = new ModelTable();
  /**
   * The filter's output, reused by every selection (they run synchronously):
   * slots of the eligible models, in registration order.
   */
  private scratch = new Int32Array(16);
  private readonly learners = new Set<ModelSelector>();
  /** The learners as an array, for record(): iterating a Set there cost an iterator per outcome. */
  private learnerList: ModelSelector[] = [];
  private readonly clock: Clock;
  /** Whether the monitor reports outcomes as ModelHealthMonitor does (not a subclass's own way). */
  private readonly plainMonitor: boolean;
  private readonly reward: (outcome: ModelOutcome, model: Model) => number;

  constructor(options: ModelRegistryOptions = {}) {
    super();
    this.clock = options.clock ?? systemClock;
    this.healthMonitor = options.healthMonitor ?? new ModelHealthMonitor({ clock: this.clock });
    this.plainMonitor =
      this.healthMonitor.recordOutcomeOn === ModelHealthMonitor.prototype.recordOutcomeOn;
    this.defaultSelector = options.selector ?? new BalancedSelector();
    this.reward = options.reward ?? defaultReward;
    this.attach(this.defaultSelector);
    this.healthMonitor.on('health:changed', (change) => this.emit('health:changed', change));
  }

  get size(): number {
    return this.table.size;
  }

  register(model: Model): this {
    if (!(model instanceof Model)) {
      throw new TypeError(
        'register() takes a Model instance (a subclass of Model from @orchestrator/core).',
      );
    }
    if (this.entries.has(model.name)) throw new DuplicateModelError(model.name);
    const breaker = this.healthMonitor.watch(model);
    const place = ModelMetrics.placeOf(model.metrics);
    const entry: Entry = this.table.add(model, breaker, {
      slot: -1,
      model,
      metrics: model.metrics,
      latencyBudgetMs: latencyBudgetOf(model),
      breaker,
      breakerId: breaker.id,
      figuresData: place.data,
      figures: place.figures,
      ring: place.ring,
    });
    this.entries.set(model.name, entry);
    this.emit('model:registered', { model: model.name, provider: model.provider });
    return this;
  }

  /** Removes a model; returns whether it was registered. */
  unregister(name: string): boolean {
    const entry = this.entries.get(name);
    if (!entry) return false;
    this.entries.delete(name);
    this.table.remove(entry);
    this.healthMonitor.unwatch(name);
    for (const selector of this.learners) selector.forget?.(name);
    this.emit('model:unregistered', { model: name });
    return true;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): Model {
    const entry = this.entries.get(name);
    if (!entry) throw new ModelNotFoundError(name, [...this.entries.keys()]);
    return entry.model;
  }

  list(): Model[] {
    return this.table.models.slice(0, this.table.size);
  }

  /** Adds a selector that learns from every recorded outcome (the default selector always does). */
  attach(selector: ModelSelector): this {
    this.learners.add(selector);
    this.learnerList = [...this.learners];
    return this;
  }

  /** The models that meet the criteria, in registration order. */
  eligible(criteria: SelectionCriteria = {}): Model[] {
    const count = this.filter(criteria, this.clock.now());
    const slots = this.scratch;
    const models = this.table.models;
    const out: Model[] = [];
    for (let k = 0; k < count; k++) out.push(models[slots[k]!]!);
    return out;
  }

  /**
   * Writes the slots of the models that meet the criteria to `scratch`, in
   * registration order, and returns how many. One flat loop over the
   * columns: this runs for every model on every request.
   */
  private filter(criteria: SelectionCriteria, now: number): number {
    let required = 0;
    for (const c of criteria.capabilities ?? []) {
      const bit = CAPABILITY_BIT.get(c);
      if (bit === undefined)
        throw new RangeError(`Unknown capability "${c}". Known: ${CAPABILITIES.join(', ')}`);
      required |= bit;
    }
    const excluded = criteria.excludeModels?.length ? new Set(criteria.excludeModels) : undefined;
    const providers = criteria.providers?.length ? new Set(criteria.providers) : undefined;
    const minContext = criteria.contextLength ?? 0;
    const task =
      criteria.taskType !== undefined && criteria.taskType !== 'general'
        ? criteria.taskType
        : undefined;
    // A task outside TASK_TYPES has no bit: models declaring tasks are checked by name.
    const taskBit = task === undefined ? 0 : (TASK_BIT.get(task) ?? 0);
    const maxCost = criteria.maxCost ?? Number.POSITIVE_INFINITY;
    const input = (criteria.inputTokens ?? DEFAULT_ESTIMATED_INPUT_TOKENS) / 1e6;
    const output = (criteria.outputTokens ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS) / 1e6;
    const minSpeed = criteria.minSpeed;
    const checkHealth = !criteria.includeUnavailable;
    const t = this.table;
    t.sync();
    const n = t.size;
    if (this.scratch.length < n)
      this.scratch = new Int32Array(Math.max(n, this.scratch.length * 2));
    const out = this.scratch;
    const capabilityMask = t.capabilityMask;
    const contextWindow = t.contextWindow;
    const inputPerMillion = t.inputPerMillion;
    const outputPerMillion = t.outputPerMillion;
    const perRequest = t.perRequest;
    const maxCostPerRequest = t.maxCostPerRequest;
    const taskMask = t.taskMask;
    const breakers = t.breakers;
    let count = 0;
    for (let s = 0; s < n; s++) {
      if ((capabilityMask[s]! & required) !== required || contextWindow[s]! < minContext) continue;
      const cost = input * inputPerMillion[s]! + output * outputPerMillion[s]! + perRequest[s]!;
      if (cost > maxCost || cost > maxCostPerRequest[s]!) continue;
      if (task !== undefined) {
        const declared = taskMask[s]!;
        if (
          declared !== 0 &&
          (taskBit === 0 ? !t.taskTypes[s]!.includes(task) : (declared & taskBit) === 0)
        )
          continue;
      }
      if (excluded?.has(t.names[s]!) || (providers && !providers.has(t.providers[s]!))) continue;
      if (minSpeed !== undefined) {
        // NaN (no speed figure at all) is not ruled out.
        if (speedAt(t, s) < minSpeed) continue;
      }
      if (checkHealth) {
        const breaker = breakers[s]!;
        if (breaker.state !== 'closed' && !breaker.canPass(now)) continue;
      }
      out[count++] = s;
    }
    return count;
  }

  /** Chooses a model; throws NoEligibleModelsError (with every model's reasons) when none qualifies. */
  select(criteria: SelectionCriteria = {}, selector: ModelSelector = this.defaultSelector): Model {
    return this.selectWithReason(criteria, selector).model;
  }

  selectWithReason(
    criteria: SelectionCriteria = {},
    selector: ModelSelector = this.defaultSelector,
  ): Selection {
    // One clock reading for the filter and the selector.
    const now = this.clock.now();
    const count = this.filter(criteria, now);
    if (count === 0) throw new NoEligibleModelsError(this.explainExclusions(criteria));
    const context = this.contextOf(criteria, now);
    let selection: Selection;
    if (selector.selectFrom !== undefined) {
      // The selector reads the columns: no Model[] is built, no model object touched.
      selection = selector.selectFrom({ table: this.table, slots: this.scratch, count }, context);
    } else {
      const models = this.table.models;
      const candidates: Model[] = [];
      for (let k = 0; k < count; k++) candidates.push(models[this.scratch[k]!]!);
      selection = selector.select(candidates, context);
    }
    if (this.listenerCount('model:selected') > 0) {
      this.emit('model:selected', {
        selection,
        selector: selector.name,
        criteria,
        candidates: count,
      });
    }
    return selection;
  }

  /** Every eligible model, best first by the selector; the head is the choice, the rest the fallbacks. */
  rank(
    criteria: SelectionCriteria = {},
    selector: ModelSelector = this.defaultSelector,
  ): Selection[] {
    const candidates = this.eligible(criteria);
    if (candidates.length === 0) throw new NoEligibleModelsError(this.explainExclusions(criteria));
    return selector.rank(candidates, this.contextOf(criteria, this.clock.now()));
  }

  /** Feeds an outcome to the model's metrics, its health, and the learning selectors. */
  record(name: string, outcome: ModelOutcome): number {
    const entry = this.entries.get(name);
    if (!entry) throw new ModelNotFoundError(name, [...this.entries.keys()]);
    const raw =
      outcome.reward ??
      (this.reward === defaultReward
        ? rewardWithin(outcome, entry.latencyBudgetMs)
        : this.reward(outcome, entry.model));
    if (typeof raw !== 'number' || Number.isNaN(raw)) {
      throw new RangeError(`record(): reward must be a number in [0, 1], got ${String(raw)}`);
    }
    const reward = Math.min(1, Math.max(0, raw));
    const d = entry.figuresData;
    if (outcome.success && watcherCount(d, entry.figures) === 1) {
      // The one watcher is this registry's table: record in place and mark the slot
      // for it, without reading the metrics object or calling through a closure.
      recordSuccessAt(d, entry.figures, entry.ring, outcome, reward, this.clock.now());
      this.table.markStale(entry.slot);
    } else entry.metrics.record(outcome, reward, this.clock.now());
    // A success on a quiet breaker (closed, no failure counted) changes nothing: it is
    // skipped without reading the breaker, unless the monitor reports differently.
    if (!outcome.success || !this.plainMonitor || quietBreakers()[entry.breakerId] !== 1)
      this.healthMonitor.recordOutcomeOn(entry.breaker, outcome.success, outcome.error?.code);
    // The registered name, not the caller's equal string: the learners' maps were keyed
    // with it, so their lookups match on identity without reading the characters.
    const key = entry.model.name;
    const learners = this.learnerList;
    for (let i = 0; i < learners.length; i++) learners[i]!.update?.(key, reward, outcome.taskType);
    if (this.listenerCount('model:outcome') > 0)
      this.emit('model:outcome', { model: name, outcome, reward });
    return reward;
  }

  /** A quality signal (user feedback, a grader) for a model, in [0, 1]; reaches the learning selectors. */
  feedback(name: string, score: number, taskType?: string): void {
    if (!this.entries.has(name)) throw new ModelNotFoundError(name, [...this.entries.keys()]);
    if (!(score >= 0 && score <= 1))
      throw new RangeError(`feedback score must be within [0, 1], got ${score}`);
    for (const selector of this.learners) selector.update?.(name, score, taskType);
  }

  getModelHealth(name: string): ModelHealth {
    const health = this.healthMonitor.getHealth(name);
    if (!health) throw new ModelNotFoundError(name, [...this.entries.keys()]);
    return health;
  }

  summary(): ModelSummary[] {
    return this.list().map((model) => ({
      name: model.name,
      provider: model.provider,
      health: this.getModelHealth(model.name),
      metrics: model.metrics.snapshot(),
    }));
  }

  private contextOf(criteria: SelectionCriteria, now: number): SelectionContext {
    return {
      taskType: criteria.taskType,
      inputTokens: criteria.inputTokens ?? DEFAULT_ESTIMATED_INPUT_TOKENS,
      outputTokens: criteria.outputTokens ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS,
      now,
    };
  }

  /** The slow path, run only when nothing qualified: every model with every reason it failed. */
  private explainExclusions(criteria: SelectionCriteria): Exclusion[] {
    const now = this.clock.now();
    const input = criteria.inputTokens ?? DEFAULT_ESTIMATED_INPUT_TOKENS;
    const output = criteria.outputTokens ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS;
    return this.list().map((model) => {
      const breaker = this.entries.get(model.name)!.breaker;
      const reasons: string[] = [];
      const caps = model.capabilities;
      const missing = (criteria.capabilities ?? []).filter((c) => !caps.features.includes(c));
      if (missing.length > 0) reasons.push(`lacks ${missing.join(', ')}`);
      if (criteria.excludeModels?.includes(model.name)) reasons.push('excluded by the request');
      if (criteria.providers?.length && !criteria.providers.includes(model.provider)) {
        reasons.push(`provider ${model.provider} not in ${criteria.providers.join(', ')}`);
      }
      if (criteria.contextLength !== undefined && caps.contextWindow < criteria.contextLength) {
        reasons.push(
          `context window ${caps.contextWindow} < ${criteria.contextLength} tokens needed`,
        );
      }
      const task = criteria.taskType;
      if (
        task !== undefined &&
        task !== 'general' &&
        caps.taskTypes.length > 0 &&
        !caps.taskTypes.includes(task)
      ) {
        reasons.push(`not suited to ${task} (suits ${caps.taskTypes.join(', ')})`);
      }
      const cost = estimateCost(model.pricing, input, output);
      if (criteria.maxCost !== undefined && cost > criteria.maxCost) {
        reasons.push(`estimated cost $${cost.toFixed(6)} > maxCost $${criteria.maxCost}`);
      }
      if (
        model.constraints.maxCostPerRequest !== undefined &&
        cost > model.constraints.maxCostPerRequest
      ) {
        reasons.push(
          `estimated cost $${cost.toFixed(6)} > the model's own limit $${model.constraints.maxCostPerRequest}`,
        );
      }
      const speed = estimateSpeed(model);
      if (criteria.minSpeed !== undefined && speed !== undefined && speed < criteria.minSpeed) {
        reasons.push(`speed ${speed.toFixed(1)} tokens/s < minSpeed ${criteria.minSpeed}`);
      }
      if (!criteria.includeUnavailable && breaker.state !== 'closed' && !breaker.canPass(now)) {
        reasons.push(
          breaker.state === 'open'
            ? `circuit breaker open until ${new Date(breaker.retryAt).toISOString()}`
            : 'circuit breaker half-open with its probe in flight',
        );
      }
      return { model: model.name, reasons };
    });
  }
}
