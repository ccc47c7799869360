import type { ChatChunk } from '@orchestrator/core';
import { describe, expect, it } from 'vitest';
import { OpenAIChunkWriter } from './to-openai-response.js';

const usage = { inputTokens: 3, outputTokens: 5, totalTokens: 8 };

/** The JSON payloads of `data:` events, in order. */
function events(text: string): unknown[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((e) => e !== '')
    .map((e) => {
      expect(e.startsWith('data: ')).toBe(true);
      return JSON.parse(e.slice('data: '.length));
    });
}

const base = {
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1700000000,
  model: 'gpt-4o-mini',
  system_fingerprint: null,
};

describe('OpenAIChunkWriter.frames (pre-serialized SSE events)', () => {
  it('sends the role with the first delta only, then plain content deltas', () => {
    const w = new OpenAIChunkWriter('chatcmpl-1', 1700000000, 'gpt-4o-mini');
    const first = w.frames({ type: 'text-delta', text: 'Hel' } as ChatChunk, false);
    const second = w.frames(
      { type: 'text-delta', text: 'lo "quoted"\n\u2028' } as ChatChunk,
      false,
    );
    expect(events(first)).toEqual([
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { role: 'assistant', content: 'Hel' },
            logprobs: null,
            finish_reason: null,
          },
        ],
      },
    ]);
    expect(events(second)).toEqual([
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { content: 'lo "quoted"\n\u2028' },
            logprobs: null,
            finish_reason: null,
          },
        ],
      },
    ]);
    // Field order as the OpenAI API sends it (some clients compare raw text).
    expect(first).toBe(
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"logprobs":null,"finish_reason":null}]}\n\n',
    );
  });

  it('escapes ids and model names that need it', () => {
    const w = new OpenAIChunkWriter('chatcmpl-"x"', 1, 'my\\model');
    const [event] = events(w.frames({ type: 'text-delta', text: 'a' } as ChatChunk, false));
    expect(event).toMatchObject({ id: 'chatcmpl-"x"', model: 'my\\model' });
  });

  it('streams tool calls (id and name only when present)', () => {
    const w = new OpenAIChunkWriter('chatcmpl-1', 1700000000, 'gpt-4o-mini');
    const a = w.frames(
      {
        type: 'tool-call-delta',
        index: 0,
        id: 'call_1',
        name: 'f',
        argumentsDelta: '{"a"',
      } as ChatChunk,
      false,
    );
    const b = w.frames(
      { type: 'tool-call-delta', index: 0, argumentsDelta: ':1}' } as ChatChunk,
      false,
    );
    expect(events(a)[0]).toMatchObject({
      choices: [
        {
          delta: {
            role: 'assistant',
            tool_calls: [
              {
                index: 0,
                id: 'call_1',
                type: 'function',
                function: { name: 'f', arguments: '{"a"' },
              },
            ],
          },
          finish_reason: null,
        },
      ],
    });
    expect((events(a)[0] as { choices: [{ delta: object }] }).choices[0].delta).not.toHaveProperty(
      'content',
    );
    expect((events(b)[0] as { choices: [{ delta: object }] }).choices[0].delta).toEqual({
      tool_calls: [{ index: 0, function: { arguments: ':1}' } }],
    });
  });

  it('finishes with the mapped reason, and a usage event only when asked', () => {
    const w = new OpenAIChunkWriter('chatcmpl-1', 1700000000, 'gpt-4o-mini');
    w.frames({ type: 'text-delta', text: 'x' } as ChatChunk, true);
    const finish = { type: 'finish', finishReason: 'length', usage } as ChatChunk;
    expect(events(w.frames(finish, false))).toEqual([
      { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'length' }] },
    ]);
    expect(events(w.frames(finish, true))).toEqual([
      { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'length' }] },
      {
        ...base,
        choices: [],
        usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
      },
    ]);
  });

  it('gives an empty-content role delta when the stream finishes at once', () => {
    const w = new OpenAIChunkWriter('chatcmpl-1', 1700000000, 'gpt-4o-mini');
    const [event] = events(
      w.frames({ type: 'finish', finishReason: 'stop', usage } as ChatChunk, false),
    );
    expect(event).toMatchObject({
      choices: [{ delta: { role: 'assistant', content: '' }, finish_reason: 'stop' }],
    });
  });

  it('writes nothing for an error chunk (the route sends the error event)', () => {
    const w = new OpenAIChunkWriter('chatcmpl-1', 1700000000, 'gpt-4o-mini');
    expect(w.frames({ type: 'error', error: new Error('x') } as ChatChunk, false)).toBe('');
  });
});
