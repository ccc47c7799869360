import { AuthenticationError, UnsupportedFeatureError } from '@orchestrator/core';
import { embedText, type FakeOpenAIServer } from '@orchestrator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, lastBody, modelOn, startServer } from './__tests__/helpers.js';
import { OpenAIModel } from './index.js';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const audio = new Uint8Array(48_000).fill(7);

describe('embeddings', () => {
  it('embeds a batch over base64 and decodes it exactly', async () => {
    const model = modelOn(server, 'text-embedding-3-small');
    const response = await model.embed({ input: ['first text', 'second text'], dimensions: 64 });
    expect(lastBody(server)).toEqual({
      model: 'text-embedding-3-small',
      input: ['first text', 'second text'],
      encoding_format: 'base64',
      dimensions: 64,
    });
    expect(response.embeddings).toHaveLength(2);
    expect(response.embeddings[0]).toEqual(embedText('first text', 'text-embedding-3-small', 64));
    expect(response.embeddings[1]).toEqual(embedText('second text', 'text-embedding-3-small', 64));
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.costUsd).toBeCloseTo((response.usage.inputTokens! * 0.02) / 1e6, 12);
    expect(response).toMatchObject({ model: 'text-embedding-3-small', provider: 'openai' });
    expect(response.latencyMs).toBeGreaterThan(0);
  });

  it('asks compatible servers for floats and reads them the same', async () => {
    const model = modelOn(server, 'text-embedding-3-small', { compatibility: 'compatible' });
    const response = await model.embed({ input: 'one text' });
    expect(lastBody(server)).toMatchObject({ input: 'one text', encoding_format: 'float' });
    expect(response.embeddings).toEqual([embedText('one text', 'text-embedding-3-small', 1536)]);
  });

  it('refuses features the model lacks, without a request', async () => {
    const before = server.requests.length;
    const error = await modelOn(server, 'gpt-4o')
      .embed({ input: 'x' })
      .catch((e: unknown) => e);
    expect(UnsupportedFeatureError.isInstance(error)).toBe(true);
    expect(server.requests.length).toBe(before);
  });
});

describe('images', () => {
  it('generates DALL·E 3 images by URL, with the revised prompt and per-image cost', async () => {
    const response = await modelOn(server, 'dall-e-3').generateImage({
      prompt: 'a lighthouse at dawn',
      size: '1024x1024',
      quality: 'hd',
      style: 'natural',
      responseFormat: 'url',
    });
    expect(lastBody(server)).toEqual({
      model: 'dall-e-3',
      prompt: 'a lighthouse at dawn',
      size: '1024x1024',
      quality: 'hd',
      style: 'natural',
      response_format: 'url',
    });
    expect(response.images).toHaveLength(1);
    expect(response.images[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/images\/files\//);
    expect(response.images[0]!.revisedPrompt).toContain('lighthouse');
    expect(response.costUsd).toBe(0.04);
    const png = await fetch(response.images[0]!.url!);
    expect(png.headers.get('content-type')).toBe('image/png');
  });

  it('leaves out options gpt-image-1 does not take and returns base64', async () => {
    const response = await modelOn(server, 'gpt-image-1').generateImage({
      prompt: 'a cat',
      n: 2,
      style: 'vivid',
      responseFormat: 'url',
    });
    expect(lastBody(server)).toEqual({ model: 'gpt-image-1', prompt: 'a cat', n: 2 });
    expect(response.images).toHaveLength(2);
    expect(response.images[0]!.b64Json).toMatch(/^iVBOR/);
  });
});

describe('audio', () => {
  it('transcribes with Whisper as verbose JSON: text, language, duration and cost', async () => {
    server.enqueue({ text: 'Bonjour tout le monde.' });
    const response = await modelOn(server, 'whisper-1').transcribe({
      audio,
      filename: 'greeting.mp3',
      mediaType: 'audio/mpeg',
      language: 'fr',
      prompt: 'A greeting.',
      temperature: 0,
    });
    const sent = server.lastRequest()!;
    expect(sent.path).toBe('/v1/audio/transcriptions');
    expect(String(sent.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const form = sent.rawBody.toString('latin1');
    for (const field of ['model', 'language', 'prompt', 'temperature', 'response_format']) {
      expect(form).toContain(`name="${field}"`);
    }
    expect(form).toContain('filename="greeting.mp3"');
    expect(form).toContain('verbose_json');
    expect(response).toMatchObject({
      text: 'Bonjour tout le monde.',
      language: 'fr',
      durationSeconds: 3,
    });
    expect(response.costUsd).toBeCloseTo((3 / 60) * 0.006, 12);
  });

  it('transcribes with gpt-4o-transcribe as JSON, priced by tokens', async () => {
    const response = await modelOn(server, 'gpt-4o-transcribe').transcribe({
      audio,
      filename: 'a.wav',
    });
    expect(server.lastRequest()!.rawBody.toString('latin1')).toMatch(
      /name="response_format"\r\n\r\njson\r\n/,
    );
    expect(response.text.length).toBeGreaterThan(0);
    expect(response.costUsd).toBeGreaterThan(0);
  });

  it('translates with Whisper into English', async () => {
    const response = await modelOn(server, 'whisper-1').translate({
      audio,
      filename: 'speech.m4a',
    });
    expect(server.lastRequest()!.path).toBe('/v1/audio/translations');
    expect(response.language).toBe('english');
    expect(response.text.length).toBeGreaterThan(0);
  });

  it('keeps translation behind its capability flag', async () => {
    const error = await modelOn(server, 'gpt-4o-transcribe')
      .translate({ audio })
      .catch((e: unknown) => e);
    expect(UnsupportedFeatureError.isInstance(error)).toBe(true);
  });
});

describe('healthCheck', () => {
  it('retrieves the model: healthy, with latency', async () => {
    const result = await modelOn(server, 'gpt-4o').healthCheck();
    expect(server.lastRequest()!.path).toBe('/v1/models/gpt-4o');
    expect(result.healthy).toBe(true);
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('is unhealthy for an unknown model, a bad key or a dead server — without throwing or leaking', async () => {
    const missing = await modelOn(server, 'gpt-0').healthCheck();
    expect(missing).toMatchObject({ healthy: false });
    expect(missing.message).toContain('gpt-0');

    const badKey = 'sk-proj-BADKEY1234567890abcdefghij';
    const denied = await modelOn(server, 'gpt-4o', { apiKey: badKey }).healthCheck();
    expect(denied.healthy).toBe(false);
    expect(denied.message).not.toContain(badKey);

    const gone = await startServer();
    const model = modelOn(gone);
    await gone.close();
    expect(await model.healthCheck()).toMatchObject({ healthy: false });
  });

  it('lists models on compatible servers and looks for this one', async () => {
    const ok = await modelOn(server, 'gpt-4o-mini', { compatibility: 'compatible' }).healthCheck();
    expect(server.lastRequest()!.path).toBe('/v1/models');
    expect(ok.healthy).toBe(true);
    const absent = await modelOn(server, 'not-served', {
      compatibility: 'compatible',
    }).healthCheck();
    expect(absent).toMatchObject({
      healthy: false,
      message: 'model not-served is not served here',
    });
  });

  it('reports a missing key for OpenAI as unhealthy', async () => {
    const result = await new OpenAIModel('gpt-4o', {
      apiKey: '',
      baseURL: 'https://api.openai.com/v1',
    }).healthCheck();
    expect(result.healthy).toBe(false);
    expect(result.message).toContain('no API key');
    expect(AuthenticationError.name).toBe('AuthenticationError');
    expect(API_KEY).toBeDefined();
  });
});
