import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { docsRoot, repoRoot } from './paths.js';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
};

const SCHEMA_SOURCE = join(repoRoot, 'packages/server/src/config/config-schema.ts');

/**
 * The gateway's configuration schema as JSON Schema: from the server
 * package's public entry point when it exports it, else from the schema
 * module itself (while the package is being built).
 */
async function loadJsonSchema(): Promise<{ schema: JsonSchema; from: string } | undefined> {
  // The built package (turbo builds it before this one); absent while the server is in progress.
  const server = (await import('@orchestrator/server').catch(() => ({}))) as Record<
    string,
    unknown
  >;
  if (typeof server.gatewayConfigJsonSchema === 'function') {
    return {
      schema: (server.gatewayConfigJsonSchema as () => JsonSchema)(),
      from: '@orchestrator/server',
    };
  }
  if (!existsSync(SCHEMA_SOURCE)) return undefined;
  const mod = (await import(pathToFileURL(SCHEMA_SOURCE).href)) as Record<string, unknown>;
  if (typeof mod.gatewayConfigJsonSchema !== 'function') return undefined;
  return {
    schema: (mod.gatewayConfigJsonSchema as () => JsonSchema)(),
    from: 'packages/server/src/config/config-schema.ts',
  };
}

/**
 * The schema's doc comments (`/** … *\/` above each zod property), by dotted
 * path of object keys: `server.port`, and `providerCommon.baseURL` for
 * properties of shared objects spread into others.
 */
function readDocComments(file: string): Map<string, string> {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const docs = new Map<string, string>();
  const visit = (node: ts.Node, path: readonly string[]): void => {
    let next = path;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) next = [node.name.text];
    if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))
    ) {
      next = [...path, node.name.text];
      const comment = ts
        .getJSDocCommentsAndTags(node)
        .filter(ts.isJSDoc)
        .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
        .join(' ')
        .trim();
      if (comment) docs.set(next.join('.'), comment.replace(/\s+/g, ' '));
    }
    ts.forEachChild(node, (child) => visit(child, next));
  };
  visit(source, []);
  return docs;
}

/**
 * Where the schema spreads or reuses a shared object, its doc comments sit
 * under that object's variable name: path prefix in the config → prefixes
 * to look under. A key found nowhere simply has no description (never a
 * wrong one).
 */
const SHARED_OBJECTS: readonly [RegExp, readonly string[]][] = [
  [/^providers\.(\w+)\./, ['providersSchema.$1.', 'providerCommon.']],
  [/^models\[\]\./, ['modelEntrySchema.', 'modelSettingsSchema.']],
  [/^limits\.(perModel|perUser)\./, ['rateLimits.']],
];

function describe(path: string, docs: Map<string, string>): string | undefined {
  const exact = docs.get(`gatewayConfigSchema.${path.replace(/\[\]/g, '')}`);
  if (exact) return exact;
  for (const [pattern, prefixes] of SHARED_OBJECTS) {
    const match = pattern.exec(path);
    if (!match) continue;
    const rest = path.slice(match[0].length);
    for (const prefix of prefixes) {
      const found = docs.get(`${prefix.replace('$1', match[1] ?? '')}${rest}`);
      if (found) return found;
    }
  }
  return undefined;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' | ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeOf).join(' | ');
  const t = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  if (t === 'array' && s.items) return `${typeOf(s.items)}[]`;
  if (t === 'object' && !s.properties && typeof s.additionalProperties === 'object') {
    const key = s.propertyNames?.enum ? 'task type' : 'string';
    return `map of ${key} → ${typeOf(s.additionalProperties)}`;
  }
  return t;
}

function constraintsOf(s: JsonSchema): string {
  const out: string[] = [];
  if (s.format) out.push(s.format);
  if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined && s.minLength > 0) out.push(`min length ${s.minLength}`);
  if (s.maxLength !== undefined) out.push(`max length ${s.maxLength}`);
  if (s.pattern) out.push(`pattern \`${s.pattern}\``);
  return out.join(', ');
}

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly def: string;
  readonly notes: string;
}

function walk(
  s: JsonSchema,
  path: string,
  required: boolean,
  docs: Map<string, string>,
  rows: Row[],
): void {
  const isObject = s.type === 'object' && s.properties;
  if (path) {
    const description = s.description ?? describe(path, docs);
    const constraints = constraintsOf(s);
    rows.push({
      path,
      type: isObject ? 'object' : typeOf(s),
      required,
      def: s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``,
      notes: [description, constraints].filter(Boolean).join(' — '),
    });
  }
  if (isObject) {
    for (const [key, child] of Object.entries(s.properties!)) {
      walk(child, path ? `${path}.${key}` : key, s.required?.includes(key) ?? false, docs, rows);
    }
  } else if (s.type === 'array' && s.items?.type === 'object' && s.items.properties) {
    for (const [key, child] of Object.entries(s.items.properties)) {
      walk(child, `${path}[].${key}`, s.items.required?.includes(key) ?? false, docs, rows);
    }
  } else if (typeof s.additionalProperties === 'object' && s.additionalProperties.properties) {
    for (const [key, child] of Object.entries(s.additionalProperties.properties)) {
      walk(child, `${path}.<key>.${key}`, false, docs, rows);
    }
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export async function generateConfigReference(): Promise<string> {
  const loaded = await loadJsonSchema();
  const file = join(docsRoot, 'gateway', 'configuration.md');
  if (!loaded) {
    await writeFile(
      file,
      "# Configuration reference\n\nThe gateway's configuration schema is not in the repository yet; this page is generated from it once it is.\n",
    );
    return 'none';
  }
  const docs = existsSync(SCHEMA_SOURCE)
    ? readDocComments(SCHEMA_SOURCE)
    : new Map<string, string>();
  const rows: Row[] = [];
  walk(loaded.schema, '', true, docs, rows);
  const sections = new Map<string, Row[]>();
  for (const row of rows) {
    const top = row.path.split(/[.[]/)[0]!;
    sections.set(top, [...(sections.get(top) ?? []), row]);
  }
  const body = [...sections]
    .map(([top, list]) => {
      const lines = list.map(
        (r) =>
          `| \`${r.path}\` | ${cell(r.type)} | ${r.def || (r.required ? 'required' : '—')} | ${cell(r.notes)} |`,
      );
      return `## \`${top}\`\n\n| key | type | default | notes |\n|---|---|---|---|\n${lines.join('\n')}\n`;
    })
    .join('\n');
  const text = `# Configuration reference

<!-- Generated by apps/docs/scripts/generate-config-reference.ts from ${loaded.from}. Do not edit. -->

Generated at build time from the gateway's configuration schema (a zod schema,
exported as JSON Schema by \`gatewayConfigJsonSchema()\`), so it cannot drift
from what the server validates. Every object is strict: a misspelt or misplaced
key is an error, not a silently ignored line. Secrets are not part of the file:
provider keys come from environment variables, and string values may use
\`\${ENV}\` interpolation.

The full JSON Schema, for editors, is [\`configuration.schema.json\`](/configuration.schema.json).

${body}`;
  await writeFile(file, text);
  await writeFile(
    join(docsRoot, 'public', 'configuration.schema.json'),
    `${JSON.stringify(loaded.schema, null, 2)}\n`,
  );
  return loaded.from;
}
