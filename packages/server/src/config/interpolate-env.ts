/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed
 * config. Interpolation runs on parsed values, never on the raw text, so an
 * environment value can never inject YAML or JSON structure.
 */
export class ConfigEnvError extends Error {
  readonly path: string;
  constructor(path: string, variable: string) {
    super(`${path || '(root)'}: environment variable ${variable} is not set and has no default`);
    this.name = 'ConfigEnvError';
    this.path = path;
  }
}

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path = '',
): unknown {
  if (typeof value === 'string') {
    return value.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
      const found = Object.hasOwn(env, name) ? env[name] : undefined;
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigEnvError(path, name);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Prototype-polluting keys are dropped, never assigned.
      if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
      out[k] = interpolateEnv(v, env, path ? `${path}.${k}` : k);
    }
    return out;
  }
  return value;
}
