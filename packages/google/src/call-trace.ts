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

  /** `base` wrapped so that this trace records the exchange. */
  wrap(base: Fetch): Fetch {
    return async (input, init) => {
      this.sent = true;
      const response = await base(input, init);
      this.status = response.status;
      this.headers = response.headers;
      return response;
    };
  }
}
