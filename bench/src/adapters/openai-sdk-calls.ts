import OpenAI from 'openai';
import { drain } from './adapter-overhead.js';

/**
 * The raw `openai` SDK calls the OpenAI-protocol benches (OpenAI, Azure) set
 * their adapter against, on the same body: plain, and streamed with usage
 * (as the adapters ask for it), drained. Without `fetch`, the SDK's default
 * (Node's global fetch).
 */
export function rawOpenAICalls(
  baseURL: string,
  apiKey: string,
  body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
  fetch?: typeof globalThis.fetch,
): { raw: () => Promise<unknown>; rawStream: () => Promise<void> } {
  const client = new OpenAI({
    apiKey,
    baseURL,
    maxRetries: 0,
    logLevel: 'off',
    ...(fetch ? { fetch } : {}),
  });
  return {
    raw: () => client.chat.completions.create(body),
    rawStream: () =>
      drain(
        client.chat.completions.create({
          ...body,
          stream: true,
          stream_options: { include_usage: true },
        }),
      ),
  };
}
