import type { Fetch } from '@google/genai';

/**
 * What happened on the wire during one call: whether a request went out and
 * the status and headers that came back. The SDK's errors carry neither, so
 * the adapter passes a wrapping fetch per call and reads them from here
 * (`Retry-After`, whether a failed call may have been billed).
 */
export class CallTrace {
  sent = false;
  status: number | undefined;
  headers: Headers | undefined;
  response: Response | undefined;

  /**
   * Drops the connection of a response nobody will read to the end (a
   * consumer that stopped early). Cancelling the body makes fetch close the
   * socket; the SDK has released its reader by then.
   */
  discard(): void {
    const body = this.response?.body;
    if (body && !body.locked) body.cancel().catch(() => undefined);
  }

  /** `base` wrapped so that this trace records the exchange. */
  wrap(base: Fetch): Fetch {
    return async (input, init) => {
      this.sent = true;
      const response = await base(input, init);
      this.status = response.status;
      this.headers = response.headers;
      this.response = response;
      return response;
    };
  }
}
