import { OrchestratorError } from './orchestrator-error.js';

export class ModelNotFoundError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.ModelNotFoundError');
  readonly modelName: string;

  constructor(modelName: string, known: readonly string[] = []) {
    const hint =
      known.length > 0
        ? ` Registered models: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}.`
        : ' No models are registered.';
    super(`Model "${modelName}" is not registered.${hint}`, { code: 'model_not_found' });
    this.modelName = modelName;
  }
}

export class DuplicateModelError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.DuplicateModelError');
  readonly modelName: string;

  constructor(modelName: string) {
    super(
      `A model named "${modelName}" is already registered; unregister it first or pick another name.`,
      { code: 'duplicate_model' },
    );
    this.modelName = modelName;
  }
}

export class InvalidModelConfigError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.InvalidModelConfigError');
  readonly param: string;

  constructor(param: string, problem: string) {
    super(`Invalid model configuration: ${param} ${problem}.`, { code: 'invalid_model_config' });
    this.param = param;
  }
}

/** Why one model was ruled out by `select`. */
export interface Exclusion {
  readonly model: string;
  readonly reasons: readonly string[];
}

export class NoEligibleModelsError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.NoEligibleModelsError');
  /** Every registered model with the reasons it was ruled out. */
  readonly exclusions: readonly Exclusion[];

  constructor(exclusions: readonly Exclusion[]) {
    const shown = exclusions
      .slice(0, 10)
      .map((e) => `${e.model}: ${e.reasons.join('; ')}`)
      .join(' | ');
    const more = exclusions.length > 10 ? ` | … and ${exclusions.length - 10} more` : '';
    super(
      exclusions.length === 0
        ? 'No model is eligible: the registry is empty.'
        : `No model is eligible for this request. ${shown}${more}`,
      { code: 'no_eligible_models' },
    );
    this.exclusions = exclusions;
  }
}

export class CircuitOpenError extends OrchestratorError {
  static override readonly marker = Symbol.for('orchestrator.error.CircuitOpenError');
  readonly modelName: string;
  /** When the breaker will next let a probe through (epoch ms). */
  readonly retryAt: number;

  constructor(modelName: string, retryAt: number, state: 'open' | 'half_open') {
    super(
      state === 'open'
        ? `The circuit breaker of "${modelName}" is open; it will let a probe through at ${new Date(retryAt).toISOString()}.`
        : `The circuit breaker of "${modelName}" is half-open and its one probe is in flight.`,
      { code: 'circuit_open', retryable: true },
    );
    this.modelName = modelName;
    this.retryAt = retryAt;
  }
}
