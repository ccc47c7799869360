/**
 * A small value that satisfies a JSON Schema, so simulated JSON answers and
 * simulated function calls are well-formed. Covers the schema keywords
 * structured output uses (type, properties, required, items, enum, const,
 * anyOf/oneOf); anything else yields `null`.
 */
export function exampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!isRecord(schema) || depth > 6) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    return exampleFromSchema(alternatives[0], depth + 1);
  }
  const type = Array.isArray(schema.type)
    ? (schema.type as unknown[]).find((t) => t !== 'null')
    : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = isRecord(schema.properties) ? schema.properties : {};
      for (const [key, value] of Object.entries(properties)) {
        out[key] = exampleFromSchema(value, depth + 1);
      }
      return out;
    }
    case 'array':
      return [exampleFromSchema(schema.items, depth + 1)];
    case 'string':
      return typeof schema.format === 'string' && schema.format === 'date-time'
        ? '2026-01-01T00:00:00Z'
        : 'example';
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return isRecord(schema.properties)
        ? exampleFromSchema({ ...schema, type: 'object' }, depth)
        : null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
