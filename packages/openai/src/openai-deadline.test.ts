import { expectStalledCallTimesOut } from '@orchestrator/testing';
import { describe, it } from 'vitest';
import { OpenAIModel } from './openai-model.js';

const KEY = 'sk-test-000000000000000000';
const hello = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 16 };
/** The headers and the start of a JSON body, then nothing. */
const STALL = {
  contentType: 'application/json',
  body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[',
};

describe('OpenAIModel: the deadline of a plain call covers its body', () => {
  it('on the default transport, a body that stalls after the headers times out and the connection closes', () =>
    expectStalledCallTimesOut(STALL, (url) =>
      new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url }).generate(hello, {
        timeoutMs: 150,
      }),
    ));

  it("with a fetch of the caller's, a stalled body times out all the same (the adapter's own signal)", () =>
    expectStalledCallTimesOut(STALL, (url) =>
      new OpenAIModel('gpt-4o-mini', {
        apiKey: KEY,
        baseURL: url,
        fetch: (input, init) => globalThis.fetch(input, init),
        timeoutMs: 150,
      }).generate(hello),
    ));

  it("with a caller's signal and a timeout, the timeout still ends the call as a TimeoutError", () =>
    expectStalledCallTimesOut(STALL, (url) =>
      new OpenAIModel('gpt-4o-mini', { apiKey: KEY, baseURL: url }).generate(hello, {
        signal: new AbortController().signal,
        timeoutMs: 150,
      }),
    ));
});
