const MARKERS = Symbol.for('orchestrator.error.markers');

interface MarkedClass {
  readonly marker?: symbol;
}

/**
 * Base of every error the project throws. Each class carries a
 * `Symbol.for` marker so `isInstance` works across duplicated installs of the
 * package, where `instanceof` would not.
 */
export class OrchestratorError extends Error {
  static readonly marker: symbol = Symbol.for('orchestrator.error.OrchestratorError');

  /** A stable, machine-readable code, such as `rate_limited`. */
  readonly code: string;
  /** Whether trying again (the same or another model) may succeed. */
  readonly retryable: boolean;
  declare readonly [MARKERS]: ReadonlySet<symbol>;

  constructor(
    message: string,
    options: { code: string; retryable?: boolean; cause?: unknown } = {
      code: 'orchestrator_error',
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    const markers = new Set<symbol>();
    for (let c: unknown = new.target; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
      const m = (c as MarkedClass).marker;
      if (typeof m === 'symbol') markers.add(m);
    }
    Object.defineProperty(this, MARKERS, { value: markers, enumerable: false });
  }

  /** True when `error` is an instance of the class this is called on, across package copies. */
  static isInstance<T extends OrchestratorError>(
    this: { readonly marker: symbol; readonly prototype: T },
    error: unknown,
  ): error is T {
    if (typeof error !== 'object' || error === null) return false;
    const markers = (error as { [MARKERS]?: ReadonlySet<symbol> })[MARKERS];
    // `this` is the class isInstance was called on (RateLimitError.isInstance …): that is the point.
    // biome-ignore lint/complexity/noThisInStatic: polymorphic static, see above
    return markers instanceof Set && markers.has(this.marker);
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retryable: this.retryable };
  }
}
