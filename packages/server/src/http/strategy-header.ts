import { ROUTING_STRATEGIES, type RoutingStrategy } from '@orchestrator/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/** The strategy from the body extension, else the `x-orchestrator-strategy` header. */
export function resolveStrategy(
  request: FastifyRequest,
  fromBody: RoutingStrategy | undefined,
): RoutingStrategy | undefined {
  if (fromBody !== undefined) return fromBody;
  const header = request.headers['x-orchestrator-strategy'];
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!(ROUTING_STRATEGIES as readonly string[]).includes(value ?? ''))
    throw new ApiError(
      400,
      'invalid_request',
      `x-orchestrator-strategy must be one of ${ROUTING_STRATEGIES.join(', ')}.`,
      {
        param: 'x-orchestrator-strategy',
      },
    );
  return value as RoutingStrategy;
}
