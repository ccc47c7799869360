import { type ChatMessage, InvalidRequestError, type ToolDefinition } from '@orchestrator/core';
import type { FakeGeminiServer } from '@orchestrator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, modelFor, startServer } from './__tests__/fixtures.js';
import { isSyntheticToolCallId, syntheticToolCallId } from './tool-call-ids.js';

let server: FakeGeminiServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  server.clearScripts();
});
afterAll(async () => {
  await server.close();
});

type Part = Record<string, unknown>;
type Body = {
  contents: { role: string; parts: Part[] }[];
  tools?: { functionDeclarations: Record<string, unknown>[] }[];
  toolConfig?: { functionCallingConfig: { mode: string; allowedFunctionNames?: string[] } };
};
const lastBody = (): Body => server.requests.at(-1)!.body as Body;

const weather: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
    required: ['city'],
  },
};
const time: ToolDefinition = { name: 'get_time', parameters: { type: 'object', properties: {} } };
const ask = (content: string): ChatMessage[] => [{ role: 'user', content }];

describe('tools', () => {
  it('declares functions with their JSON schema and maps the calls back', async () => {
    server.enqueue({
      toolCalls: [
        { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' },
        { name: 'get_time', arguments: '{}' },
      ],
    });
    const response = await modelFor(server).generate({
      messages: ask('Weather and time?'),
      tools: [weather, time],
    });
    expect(lastBody().tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather for a city',
            parametersJsonSchema: weather.parameters,
          },
          { name: 'get_time', parametersJsonSchema: time.parameters },
        ],
      },
    ]);
    expect(lastBody().toolConfig).toBeUndefined();
    expect(response.finishReason).toBe('tool_calls');
    expect(response.rawFinishReason).toBe('STOP');
    expect(response.content).toBe('');
    expect(response.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['get_weather', { city: 'Paris', unit: 'c' }],
      ['get_time', {}],
    ]);
    const [first, second] = response.toolCalls;
    expect(first!.id).not.toBe(second!.id);
    expect(isSyntheticToolCallId(first!.id)).toBe(true);
    // Stable: a pure function of response id, position, name and arguments.
    expect(first!.id).toBe(syntheticToolCallId(response.id, 0, 'get_weather', first!.arguments));
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'tool', name: 'get_time' },
      { mode: 'ANY', allowedFunctionNames: ['get_time'] },
    ],
  ] as const)('maps tool choice %j', async (toolChoice, expected) => {
    const response = await modelFor(server).generate({
      messages: ask('x'),
      tools: [weather, time],
      toolChoice,
    });
    expect(lastBody().toolConfig).toEqual({ functionCallingConfig: expected });
    if (typeof toolChoice === 'object') {
      // The fake, like Gemini in ANY mode, calls the allowed function with schema-shaped arguments.
      expect(response.toolCalls.map((c) => c.name)).toEqual(['get_time']);
    }
  });

  it('warns about a forced tool choice without tools', async () => {
    const response = await modelFor(server).generate({
      messages: ask('x'),
      toolChoice: 'required',
    });
    expect(lastBody().toolConfig).toBeUndefined();
    expect(response.warnings).toEqual([expect.objectContaining({ setting: 'toolChoice' })]);
  });

  it('streams function calls as tool-call deltas', async () => {
    server.enqueue({
      text: 'Checking.',
      toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }],
    });
    const chunks = await collect(
      modelFor(server).stream({ messages: ask('Weather?'), tools: [weather] }),
    );
    const calls = chunks.filter((c) => c.type === 'tool-call-delta');
    expect(calls).toEqual([
      {
        type: 'tool-call-delta',
        index: 0,
        id: expect.stringMatching(/^gcall_/),
        name: 'get_weather',
        argumentsDelta: '{"city":"Oslo"}',
      },
    ]);
    expect(chunks.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'tool_calls',
      rawFinishReason: 'STOP',
    });
  });

  it('sends tool calls and results back as functionCall and functionResponse parts', async () => {
    await modelFor(server).generate({
      messages: [
        { role: 'user', content: 'Weather in Paris and the time?' },
        {
          role: 'assistant',
          content: 'Let me check.',
          toolCalls: [
            { id: 'gcall_aaa', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { id: 'gcall_bbb', name: 'get_time', arguments: '' },
          ],
        },
        { role: 'tool', toolCallId: 'gcall_aaa', content: '{"temp":21,"sky":"clear"}' },
        { role: 'tool', toolCallId: 'gcall_bbb', name: 'get_time', content: '14:05' },
        { role: 'user', content: 'Thanks!' },
      ],
      tools: [weather, time],
    });
    expect(lastBody().contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and the time?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Let me check.' },
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 21, sky: 'clear' } } },
          { functionResponse: { name: 'get_time', response: { output: '14:05' } } },
        ],
      },
      { role: 'user', parts: [{ text: 'Thanks!' }] },
    ]);
  });

  it('keeps ids Gemini itself returned and sends them back', async () => {
    server.enqueue({
      toolCalls: [{ name: 'get_time', arguments: '{}' }],
      functionCallIds: ['fc-123'],
    });
    const model = modelFor(server);
    const first = await model.generate({ messages: ask('time?'), tools: [time] });
    expect(first.toolCalls[0]!.id).toBe('fc-123');
    await model.generate({
      messages: [
        ...ask('time?'),
        { role: 'assistant', content: null, toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'fc-123', content: '"noon"' },
      ],
      tools: [time],
    });
    expect(lastBody().contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { id: 'fc-123', name: 'get_time', args: {} } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'fc-123', name: 'get_time', response: { output: 'noon' } } },
        ],
      },
    ]);
  });

  it('replays Gemini 3 thought signatures, and marks calls it has none for', async () => {
    const model = modelFor(server, 'gemini-3-flash-preview');
    server.enqueue({
      toolCalls: [{ name: 'get_time', arguments: '{}' }],
      thoughtSignature: 'c2lnbmF0dXJl',
    });
    const first = await model.generate({ messages: ask('time?'), tools: [time] });
    const history: ChatMessage[] = [
      { role: 'assistant', content: null, toolCalls: first.toolCalls },
      { role: 'tool', toolCallId: first.toolCalls[0]!.id, content: '"noon"' },
    ];
    await model.generate({ messages: [...ask('time?'), ...history], tools: [time] });
    expect(lastBody().contents[1]!.parts).toEqual([
      { functionCall: { name: 'get_time', args: {} }, thoughtSignature: 'c2lnbmF0dXJl' },
    ]);

    // History written elsewhere (another model, another instance): Gemini 3 gets the documented placeholder.
    const foreign: ChatMessage[] = [
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'call_x1', name: 'get_time', arguments: '{}' }],
      },
      { role: 'tool', toolCallId: 'call_x1', content: '"noon"' },
    ];
    await model.generate({ messages: [...ask('time?'), ...foreign], tools: [time] });
    expect(lastBody().contents[1]!.parts).toEqual([
      {
        functionCall: { id: 'call_x1', name: 'get_time', args: {} },
        thoughtSignature: 'skip_thought_signature_validator',
      },
    ]);
    // Gemini 2.5 does not require signatures, so none is invented.
    await modelFor(server, 'gemini-2.5-flash').generate({
      messages: [...ask('time?'), ...foreign],
      tools: [time],
    });
    expect(lastBody().contents[1]!.parts).toEqual([
      { functionCall: { id: 'call_x1', name: 'get_time', args: {} } },
    ]);
  });

  it('remembers signatures of streamed calls too', async () => {
    const model = modelFor(server, 'gemini-3.1-pro-preview');
    server.enqueue({
      toolCalls: [{ name: 'get_time', arguments: '{}' }],
      thoughtSignature: 'c3RyZWFt',
    });
    const chunks = await collect(model.stream({ messages: ask('time?'), tools: [time] }));
    const call = chunks.find((c) => c.type === 'tool-call-delta');
    if (call?.type !== 'tool-call-delta') throw new Error('no tool call');
    await model.generate({
      messages: [
        ...ask('time?'),
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: call.id!, name: call.name!, arguments: call.argumentsDelta }],
        },
        { role: 'tool', toolCallId: call.id!, content: '"noon"' },
      ],
      tools: [time],
    });
    expect(lastBody().contents[1]!.parts[0]).toMatchObject({ thoughtSignature: 'c3RyZWFt' });
  });

  it('rejects a tool result whose function name cannot be known, before sending anything', async () => {
    const count = server.requests.length;
    await expect(
      modelFor(server).generate({
        messages: [...ask('x'), { role: 'tool', toolCallId: 'unknown-id', content: '1' }],
      }),
    ).rejects.toSatisfy(
      (e) => InvalidRequestError.isInstance(e) && /unknown-id/.test((e as Error).message),
    );
    expect(server.requests.length).toBe(count);
  });
});
