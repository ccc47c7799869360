import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { parse as parseYamlText } from 'yaml';
import type { z } from 'zod';
import {
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayConfigSchema,
} from './config-schema.js';
import { ConfigEnvError, interpolateEnv } from './interpolate-env.js';

// yaml (~70 modules) is only needed for YAML text; a gateway configured from
// an object or JSON never loads it. Its Node build is CommonJS, so it can be
// required synchronously on first use (parseConfigText stays synchronous).
const requireYaml = createRequire(import.meta.url);
let yamlParse: typeof parseYamlText | undefined;
function parseYaml(text: string): unknown {
  yamlParse ??= (requireYaml('yaml') as typeof import('yaml')).parse;
  return yamlParse(text, { maxAliasCount: 100 });
}

/** A configuration that cannot be used; `issues` name each problem by path. */
export class ConfigError extends Error {
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  constructor(source: string, issues: readonly { path: string; message: string }[]) {
    super(
      `Invalid configuration${source ? ` in ${source}` : ''}:\n${issues
        .map((i) => `  - ${i.path || '(root)'}: ${i.message}`)
        .join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** `messages[0].content` style path of a zod issue. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

const SECRET_HINT: Readonly<Record<string, string>> = {
  apiKey: 'provider keys come from environment variables only (OPENAI_API_KEY, ANTHROPIC_API_KEY…)',
  api_key: 'provider keys come from environment variables only',
  token: 'tokens come from environment variables only (HF_TOKEN, GITHUB_TOKEN)',
};

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const hints = issue.keys.map((k) => SECRET_HINT[k]).filter((h) => h !== undefined);
    return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${hints.length ? ` (${hints[0]})` : ''}`;
  }
  return issue.message;
}

/** Validates an already parsed configuration object (after `${ENV}` interpolation). */
export function parseConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
  source = '',
): GatewayConfig {
  let interpolated: unknown;
  try {
    interpolated = interpolateEnv(raw ?? {}, env);
  } catch (error) {
    if (error instanceof ConfigEnvError) {
      throw new ConfigError(source, [
        { path: error.path, message: error.message.split(': ').slice(1).join(': ') },
      ]);
    }
    throw error;
  }
  const result = gatewayConfigSchema.safeParse(interpolated);
  if (!result.success) {
    throw new ConfigError(
      source,
      result.error.issues.map((issue) => ({
        path: formatIssuePath(issue.path),
        message: describeIssue(issue),
      })),
    );
  }
  const config = result.data;
  const names = new Set<string>();
  const dupes: { path: string; message: string }[] = [];
  config.models.forEach((m, i) => {
    const name = m.name ?? m.modelId;
    if (names.has(name))
      dupes.push({ path: `models[${i}].name`, message: `"${name}" is defined twice` });
    names.add(name);
  });
  if (dupes.length) throw new ConfigError(source, dupes);
  return config;
}

/** Parses YAML or JSON text (JSON is YAML, but JSON errors read better from JSON.parse). */
export function parseConfigText(
  text: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  source = '',
): GatewayConfig {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(source) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(source, [
      {
        path: '',
        message: `not valid ${/\.json$/i.test(source) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      },
    ]);
  }
  return parseConfig(raw, env, source);
}

/** Reads and validates a YAML or JSON configuration file. */
export async function loadConfig(
  file: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [
      {
        path: '',
        message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      },
    ]);
  }
  return parseConfigText(text, env, file);
}

export type { GatewayConfig, GatewayConfigInput };
