import type { FaultScript } from '../fault-script.js';

/**
 * A fault script with the OpenAI fake's extras. Pass it to `enqueue` like any
 * other script; the extra fields are read only by the OpenAI-protocol fakes.
 */
export interface OpenAIFaultScript extends FaultScript {
  /**
   * Replace the stream event at this index with an in-band error event
   * (`data: {"error": {...}}`), the way OpenAI reports a failure after a 200.
   * `errorType` / `errorMessage` shape it (default: a server_error).
   */
  readonly errorEventAt?: number;
  /** Answer with a refusal instead of content (structured-output refusals). */
  readonly refusal?: string;
}

/** The script as the OpenAI fakes read it. */
export function asOpenAIScript(script: FaultScript | undefined): OpenAIFaultScript | undefined {
  return script as OpenAIFaultScript | undefined;
}
