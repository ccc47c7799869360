import type { z } from 'zod';
import { formatIssuePath } from '../config/load-config.js';
import { ApiError } from './api-error.js';

/** Parses a body with a zod schema; the first problem becomes a 400 naming the parameter. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = formatIssuePath(issue.path) || 'body';
  let message = issue.message;
  if (issue.code === 'invalid_type') message = `expected ${issue.expected}`;
  else if (issue.code === 'too_big' || issue.code === 'too_small')
    message = issue.message.replace(/^Too (big|small): /, '');
  throw new ApiError(400, 'invalid_request', `Invalid parameter ${param}: ${message}.`, { param });
}

/** Depth of nested arrays and objects, iteratively (a hostile body cannot blow the stack). */
export function nestingDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return max;
}
