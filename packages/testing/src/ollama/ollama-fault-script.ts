import type { ServerResponse } from 'node:http';
import type { FaultScript } from '../fault-script.js';
import { ndjsonLine, sendJson, sendScriptedAnswer, writeStreamBody } from '../write-stream.js';

/** A fault script with the few knobs only Ollama's NDJSON protocol needs. */
export interface OllamaFaultScript extends FaultScript {
  /**
   * In a 200 NDJSON stream (chat, generate, pull), send this many lines and
   * then `{"error": errorMessage}` and end the stream, as Ollama does when a
   * run or a pull fails half-way.
   */
  readonly streamErrorAfter?: number;
  /** Thinking text the answer streams before its content (`message.thinking`). */
  readonly thinking?: string;
}

/** Ollama's default error messages by status, used when a script names none. */
export function defaultOllamaErrorMessage(status: number): string {
  switch (status) {
    case 400:
      return 'invalid request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not found';
    case 429:
      return 'too many requests, please try again later';
    case 503:
      return 'server busy, please try again.  maximum pending requests exceeded';
    default:
      return status >= 500 ? 'an error was encountered while running the model' : `HTTP ${status}`;
  }
}

/** Sends an error the way Ollama does: the status and `{"error": "…"}` (or the script's raw body). */
export function sendOllamaError(
  res: ServerResponse,
  status: number,
  message: string,
  script?: FaultScript,
): Promise<void> {
  const body = script?.body ?? { error: message };
  return sendJson(res, status, body, script);
}

/**
 * Answers as the script says when it overrides the normal answer: an error
 * status, a raw body (sent as is, whatever the status), or no answer at all
 * (`hang`). Reports whether the request was dealt with.
 */
export function applyStatusScript(
  res: ServerResponse,
  script: FaultScript | undefined,
): Promise<boolean> {
  return sendScriptedAnswer(res, script, (status) => ({
    error: script?.errorMessage ?? defaultOllamaErrorMessage(status),
  }));
}

/**
 * Writes an NDJSON stream the way Ollama does (`application/x-ndjson`),
 * applying the script's faults. A `streamErrorAfter` script ends the stream
 * with an `{"error": …}` line after that many lines.
 */
export function writeOllamaStream(
  res: ServerResponse,
  lines: readonly unknown[],
  script: OllamaFaultScript | undefined,
): Promise<void> {
  const eol = script?.lineEnding ?? '\n';
  const events = lines.map((line) => ndjsonLine(line, eol));
  return writeStreamBody(res, events, script, {
    errorEvent:
      script?.streamErrorAfter === undefined
        ? undefined
        : {
            after: script.streamErrorAfter,
            event: ndjsonLine(
              { error: script.errorMessage ?? defaultOllamaErrorMessage(500) },
              eol,
            ),
          },
    contentType: 'application/x-ndjson',
    keepAlive: eol,
    malformed: `{"model":"broken","message":{"role":"assistant","content":${eol}`,
  });
}
