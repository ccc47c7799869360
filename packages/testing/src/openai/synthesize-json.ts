type Schema = Readonly<Record<string, unknown>>;

const STRING_HINTS: readonly [RegExp, string][] = [
  [/e-?mail/i, 'ada@example.com'],
  [/url|link|website/i, 'https://example.com'],
  [/first.?name/i, 'Ada'],
  [/last.?name|surname/i, 'Lovelace'],
  [/name|author|user/i, 'Ada Lovelace'],
  [/city|town/i, 'Paris'],
  [/country/i, 'France'],
  [/lang/i, 'en'],
  [/date|day|time/i, '2025-01-15'],
  [/id$|^id|uuid/i, 'item_1'],
  [/colou?r/i, 'blue'],
  [/unit/i, 'celsius'],
  [/location|address/i, 'Paris, France'],
  [/title|heading/i, 'A short, clear title'],
  [/sentiment/i, 'positive'],
  [/category|kind|type|label|tag/i, 'general'],
  [/code|snippet/i, 'function add(a, b) { return a + b; }'],
  [/query|search/i, 'weather in Paris'],
];

const NUMBER_HINTS: readonly [RegExp, number][] = [
  [/age/i, 36],
  [/year/i, 2025],
  [/temp/i, 21.5],
  [/price|cost|amount/i, 19.99],
  [/score|confidence|probability/i, 0.87],
  [/count|quantity|number|total/i, 3],
  [/lat/i, 48.8566],
  [/lon|lng/i, 2.3522],
];

export interface SynthesisContext {
  /** The root schema, against which `$ref`s resolve. */
  readonly root: Schema;
  /** Filler text for free-form strings. */
  readonly text: string;
  readonly random: () => number;
}

/**
 * A plausible value matching a JSON Schema: objects get every property (so
 * strict schemas are satisfied), enums and consts are honoured, numbers stay
 * within bounds, and strings follow the property's name where it hints at a
 * meaning (`email`, `city`, `age`…).
 */
export function synthesizeJson(
  schema: Schema,
  context: SynthesisContext,
  key = '',
  depth = 0,
): unknown {
  const resolved = resolveRef(schema, context.root);
  if ('const' in resolved) return resolved.const;
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) return resolved.enum[0];
  for (const combinator of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = resolved[combinator];
    if (Array.isArray(options) && options.length > 0) {
      const first = options.find((o) => asSchema(o).type !== 'null') ?? options[0];
      return synthesizeJson(asSchema(first), context, key, depth + 1);
    }
  }
  const type = pickType(resolved);
  if (depth > 8) return type === 'object' ? {} : type === 'array' ? [] : null;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = asSchema(resolved.properties);
      for (const [name, sub] of Object.entries(properties)) {
        out[name] = synthesizeJson(asSchema(sub), context, name, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = typeof resolved.minItems === 'number' ? resolved.minItems : 1;
      const max = typeof resolved.maxItems === 'number' ? resolved.maxItems : Math.max(min, 2);
      const count = Math.max(min, Math.min(max, 2));
      const items = asSchema(resolved.items);
      return Array.from({ length: count }, () =>
        synthesizeJson(items, context, singular(key), depth + 1),
      );
    }
    case 'integer':
    case 'number':
      return synthesizeNumber(resolved, key, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return synthesizeString(resolved, key, context);
  }
}

function synthesizeString(schema: Schema, key: string, context: SynthesisContext): string {
  if (schema.format === 'date-time') return '2025-01-15T09:30:00Z';
  if (schema.format === 'date') return '2025-01-15';
  if (schema.format === 'email') return 'ada@example.com';
  if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com';
  const hint = STRING_HINTS.find(([pattern]) => pattern.test(key));
  let value = hint ? hint[1] : sentence(context);
  if (typeof schema.maxLength === 'number') value = value.slice(0, schema.maxLength);
  if (typeof schema.minLength === 'number') value = value.padEnd(schema.minLength, '.');
  return value;
}

function synthesizeNumber(schema: Schema, key: string, integer: boolean): number {
  const hint = NUMBER_HINTS.find(([pattern]) => pattern.test(key));
  let value = hint ? hint[1] : 42;
  if (typeof schema.minimum === 'number') value = Math.max(value, schema.minimum);
  if (typeof schema.exclusiveMinimum === 'number')
    value = Math.max(value, schema.exclusiveMinimum + 1);
  if (typeof schema.maximum === 'number') value = Math.min(value, schema.maximum);
  if (typeof schema.exclusiveMaximum === 'number')
    value = Math.min(value, schema.exclusiveMaximum - 1);
  return integer ? Math.round(value) : value;
}

function sentence(context: SynthesisContext): string {
  const sentences = context.text.split(/(?<=\.)\s+/).filter((s) => s.length > 0);
  if (sentences.length === 0) return context.text;
  return sentences[Math.floor(context.random() * sentences.length)]!.replace(
    /^\[simulated\]\s*/,
    '',
  );
}

function pickType(schema: Schema): string {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const first = type.find((t) => t !== 'null') ?? type[0];
    return typeof first === 'string' ? first : 'string';
  }
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return 'string';
}

function resolveRef(schema: Schema, root: Schema): Schema {
  let current = schema;
  for (let hops = 0; hops < 16 && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#')) return {};
    let target: unknown = root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      target = asSchema(target)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    current = asSchema(target);
  }
  return current;
}

function asSchema(value: unknown): Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Schema)
    : {};
}

function singular(key: string): string {
  return key.endsWith('s') ? key.slice(0, -1) : key;
}
