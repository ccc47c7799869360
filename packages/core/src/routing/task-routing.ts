import type { Capability, ModelCapabilities, TaskType } from '../types/capabilities.js';

/** What a task type wants from a model. */
export interface TaskRoutingPreference {
  /** A model without all of these is not eligible for the task. */
  readonly requiredCapabilities?: readonly Capability[];
  /** Each one the model has raises its score. */
  readonly preferredCapabilities?: readonly Capability[];
  /** Favour models whose `capabilities.taskTypes` list the task. Default true. */
  readonly preferDeclaredTask?: boolean;
  /** Favour models whose name matches one of these (case-insensitive). */
  readonly modelPatterns?: readonly RegExp[];
  /** Favour models of these providers. */
  readonly providers?: readonly string[];
}

export type TaskRoutingTable = Readonly<Record<TaskType, TaskRoutingPreference>>;

const CODE_MODEL_NAMES =
  /cod(?:e|er|ex|estral)|starcoder|devstral|deepseek-coder|qwen[\w.-]*coder/i;
const REASONING_MODEL_NAMES = /(?:^|[/-])o[134](?:$|-)|reason|think|-r1\b|opus|-pro\b/i;

const CODE: TaskRoutingPreference = {
  preferredCapabilities: ['code_generation'],
  preferDeclaredTask: true,
  modelPatterns: [CODE_MODEL_NAMES],
};

/**
 * The default preferences per task. Code work favours models that declare
 * the task and have `code_generation` (and code-model names); optimisation
 * and analysis also favour `reasoning`; documentation and explanation want
 * a good writer that knows code; general chat has no preference beyond
 * quality. Nothing is required by default, so every model stays a fallback.
 */
export const DEFAULT_TASK_ROUTING: TaskRoutingTable = {
  code_generation: CODE,
  code_completion: CODE,
  refactoring: CODE,
  testing: CODE,
  code_optimization: {
    preferredCapabilities: ['code_generation', 'reasoning'],
    preferDeclaredTask: true,
    modelPatterns: [CODE_MODEL_NAMES, REASONING_MODEL_NAMES],
  },
  analysis: {
    preferredCapabilities: ['reasoning'],
    preferDeclaredTask: true,
    modelPatterns: [REASONING_MODEL_NAMES],
  },
  documentation: { preferredCapabilities: ['code_generation'], preferDeclaredTask: true },
  explanation: { preferredCapabilities: ['reasoning'], preferDeclaredTask: true },
  general: { preferredCapabilities: ['chat'], preferDeclaredTask: false },
};

/** The model facts scoring needs; a `Model` has them all. */
export interface RoutableModel {
  readonly name: string;
  readonly provider: string;
  readonly capabilities: Pick<
    ModelCapabilities,
    'features' | 'taskTypes' | 'qualityScore' | 'qualityByTask'
  >;
}

export interface TaskFit {
  /** False when a required capability is missing. */
  readonly eligible: boolean;
  /** 0–1; 0 when not eligible. */
  readonly score: number;
  readonly reasons: readonly string[];
}

/**
 * How well a model suits a task under a routing table: prior quality for
 * the task (45%), declared task (25%), share of preferred capabilities
 * (20%), a preferred name pattern (5%) and a preferred provider (5%).
 * Live metrics are the selectors' business; this is the static prior.
 */
export function scoreModelForTask(
  model: RoutableModel,
  task: TaskType,
  table: Partial<TaskRoutingTable> = DEFAULT_TASK_ROUTING,
): TaskFit {
  const pref = table[task] ?? DEFAULT_TASK_ROUTING[task];
  const features = model.capabilities.features;
  const missing = (pref.requiredCapabilities ?? []).filter((c) => !features.includes(c));
  if (missing.length > 0) {
    return { eligible: false, score: 0, reasons: [`lacks required ${missing.join(', ')}`] };
  }
  const reasons: string[] = [];
  const quality = clamp01(
    model.capabilities.qualityByTask?.[task] ?? model.capabilities.qualityScore,
  );
  let score = 0.45 * quality;
  reasons.push(`quality ${quality.toFixed(2)} for ${task}`);
  if ((pref.preferDeclaredTask ?? true) && model.capabilities.taskTypes.includes(task)) {
    score += 0.25;
    reasons.push(`declares ${task}`);
  }
  const preferred = pref.preferredCapabilities ?? [];
  if (preferred.length > 0) {
    const have = preferred.filter((c) => features.includes(c));
    score += (0.2 * have.length) / preferred.length;
    if (have.length > 0) reasons.push(`has ${have.join(', ')}`);
  }
  if (pref.modelPatterns?.some((p) => p.test(model.name))) {
    score += 0.05;
    reasons.push('name matches a preferred pattern');
  }
  if (pref.providers?.includes(model.provider)) {
    score += 0.05;
    reasons.push(`preferred provider ${model.provider}`);
  }
  return { eligible: true, score: Math.round(score * 1000) / 1000, reasons };
}

/**
 * The score of `scoreModelForTask` alone, or -1 when the model is not
 * eligible: the same sum in the same order, without building the reasons
 * (whose `toFixed` formatting cost more than the arithmetic). The engine
 * calls it for every eligible model on every request.
 */
export function taskFitScore(
  model: RoutableModel,
  task: TaskType,
  table: Partial<TaskRoutingTable> = DEFAULT_TASK_ROUTING,
): number {
  const pref = table[task] ?? DEFAULT_TASK_ROUTING[task];
  const caps = model.capabilities;
  const features = caps.features;
  const required = pref.requiredCapabilities;
  if (required !== undefined) {
    for (const c of required) if (!features.includes(c)) return -1;
  }
  let score = 0.45 * clamp01(caps.qualityByTask?.[task] ?? caps.qualityScore);
  if ((pref.preferDeclaredTask ?? true) && caps.taskTypes.includes(task)) score += 0.25;
  const preferred = pref.preferredCapabilities;
  if (preferred !== undefined && preferred.length > 0) {
    let have = 0;
    for (const c of preferred) if (features.includes(c)) have++;
    score += (0.2 * have) / preferred.length;
  }
  const patterns = pref.modelPatterns;
  if (patterns !== undefined) {
    for (const p of patterns) {
      if (p.test(model.name)) {
        score += 0.05;
        break;
      }
    }
  }
  if (pref.providers?.includes(model.provider)) score += 0.05;
  return Math.round(score * 1000) / 1000;
}

/** Eligible models, best fit first (ties keep the input order). */
export function rankModelsForTask<M extends RoutableModel>(
  models: readonly M[],
  task: TaskType,
  table: Partial<TaskRoutingTable> = DEFAULT_TASK_ROUTING,
): { model: M; fit: TaskFit }[] {
  return models
    .map((model, index) => ({ model, fit: scoreModelForTask(model, task, table), index }))
    .filter((entry) => entry.fit.eligible)
    .sort((a, b) => b.fit.score - a.fit.score || a.index - b.index)
    .map(({ model, fit }) => ({ model, fit }));
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
