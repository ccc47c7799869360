import { describe, expect, it } from 'vitest';
import { ModelHealthMonitor } from '../health/model-health-monitor.js';
import { Model } from '../model/model.js';
import { ModelRegistry } from '../registry/model-registry.js';
import type { ChatChunk, ChatResponse } from '../types/chat.js';
import { Orchestrator } from './orchestrator.js';

/** A test model that only streams. */
abstract class StreamOnlyModel extends Model {
  constructor(name: string) {
    super({
      name,
      provider: 'test',
      capabilities: { features: ['chat', 'text_generation', 'streaming'], contextWindow: 8_000 },
      pricing: { inputPerMillion: 1, outputPerMillion: 1 },
    });
  }
  async generate(): Promise<ChatResponse> {
    throw new Error('stream only');
  }
}

/** Streams `before` text deltas, then never yields again and never looks at its signal. */
class DeafModel extends StreamOnlyModel {
  constructor(
    name: string,
    private readonly before: number,
  ) {
    super(name);
  }
  override async *stream(): AsyncIterable<ChatChunk> {
    for (let i = 0; i < this.before; i++) yield { type: 'text-delta', text: `t${i} ` };
    await new Promise<never>(() => {});
  }
}

function engineWith(model: Model, timeouts: { attemptMs?: number; idleMs?: number }) {
  const registry = new ModelRegistry({
    healthMonitor: new ModelHealthMonitor({ checkInterval: 0 }),
  });
  registry.register(model);
  return new Orchestrator({
    registry,
    cache: false,
    retry: { maxRetries: 0 },
    timeouts: { totalMs: 10_000, attemptMs: 10_000, idleMs: 10_000, ...timeouts },
  });
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

const ask = { messages: [{ role: 'user' as const, content: 'hello' }], model: 'deaf' };

describe('a streaming model that ignores its signal', () => {
  it('cannot hold a stream past the idle timeout after its first token', async () => {
    const model = new DeafModel('deaf', 3);
    const stream = engineWith(model, { idleMs: 50 }).stream(ask);
    const chunks = await collect(stream);
    expect(chunks.map((c) => c.type)).toEqual(['text-delta', 'text-delta', 'text-delta', 'error']);
    const last = chunks.at(-1);
    expect(last?.type === 'error' && last.error.code).toBe('timeout');
    await expect(stream.response).resolves.toMatchObject({ partial: true, content: 't0 t1 t2 ' });
  });

  it('cannot hold a stream past the attempt timeout before its first token', async () => {
    const model = new DeafModel('deaf', 0);
    const stream = engineWith(model, { attemptMs: 50 }).stream(ask);
    const chunks = await collect(stream);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.type).toBe('error');
    await expect(stream.response).rejects.toMatchObject({ code: 'timeout' });
  });
});

/** Answers at once under the provider's own model id, which differs from its registered name. */
class AliasedModel extends StreamOnlyModel {
  constructor() {
    super('local/echo');
  }
  override async *stream(): AsyncIterable<ChatChunk> {
    yield { type: 'text-delta', text: 'hi' };
    yield {
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1 },
      costUsd: 0,
      model: 'echo-v1',
    };
  }
}

describe('a stream answered from the cache', () => {
  it('names the registered model that made the answer, as generate does', async () => {
    const registry = new ModelRegistry({
      healthMonitor: new ModelHealthMonitor({ checkInterval: 0 }),
    });
    registry.register(new AliasedModel());
    const engine = new Orchestrator({ registry, retry: { maxRetries: 0 } });
    const request = { messages: [{ role: 'user' as const, content: 'same' }] };
    const first = engine.stream(request);
    await collect(first);
    const second = engine.stream(request);
    await collect(second);
    const processed = await engine.process(request);
    expect((await first.response).modelUsed).toBe('local/echo');
    expect(await second.response).toMatchObject({ cached: true, modelUsed: 'local/echo' });
    expect(processed).toMatchObject({ cached: true, modelUsed: 'local/echo' });
  });
});
