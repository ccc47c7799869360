import { describe, expect, it } from 'vitest';
import { BufferedResponse } from './buffered-response.js';

const JSON_BYTES = new TextEncoder().encode('{"a":"héllo","n":[1,2]}');

function make(bytes: Uint8Array<ArrayBuffer> = JSON_BYTES): BufferedResponse {
  return new BufferedResponse(
    bytes,
    { status: 201, statusText: 'Created', headers: [['content-type', 'application/json']] },
    'http://127.0.0.1/x',
    true,
  );
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  let out = '';
  const decoder = new TextDecoder();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    out += decoder.decode(r.value, { stream: true });
  }
  return out + decoder.decode();
}

describe('BufferedResponse', () => {
  it('is a Response with the status, headers, url and redirect flag it was given', () => {
    const response = make();
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.url).toBe('http://127.0.0.1/x');
    expect(response.redirected).toBe(true);
    expect(response.bodyUsed).toBe(false);
  });

  it('reads as json, text, arrayBuffer, bytes and blob, byte for byte', async () => {
    expect(await make().json()).toEqual({ a: 'héllo', n: [1, 2] });
    expect(await make().text()).toBe('{"a":"héllo","n":[1,2]}');
    expect(new Uint8Array(await make().arrayBuffer())).toEqual(JSON_BYTES);
    expect(await make().bytes()).toEqual(JSON_BYTES);
    const blob = await make().blob();
    expect(blob.type).toBe('application/json');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(JSON_BYTES);
  });

  it('can be read once: a second read throws and bodyUsed says so', async () => {
    const response = make();
    await response.text();
    expect(response.bodyUsed).toBe(true);
    await expect(response.json()).rejects.toThrow(TypeError);
    expect(() => response.clone()).toThrow(TypeError);
  });

  it('a JSON syntax error rejects json() as fetch does', async () => {
    await expect(make(new TextEncoder().encode('{nope')).json()).rejects.toThrow(SyntaxError);
  });

  it('gives its body as a stream, which counts as used only once read', async () => {
    const response = make();
    const body = response.body;
    expect(response.body).toBe(body);
    expect(response.bodyUsed).toBe(false);
    expect(await readAll(body)).toBe('{"a":"héllo","n":[1,2]}');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('reads through the stream when it was made but not read', async () => {
    const response = make();
    void response.body;
    expect(await response.json()).toEqual({ a: 'héllo', n: [1, 2] });
    expect(response.bodyUsed).toBe(true);
  });

  it('clones before a read, both copies readable; and after the stream was taken, by teeing', async () => {
    const response = make();
    const copy = response.clone();
    expect(copy.status).toBe(201);
    expect(copy.url).toBe('http://127.0.0.1/x');
    expect(await copy.json()).toEqual(await response.json());

    const streamed = make();
    const body = streamed.body;
    const tee = streamed.clone();
    expect(await tee.text()).toBe('{"a":"héllo","n":[1,2]}');
    expect(await readAll(streamed.body)).toBe('{"a":"héllo","n":[1,2]}');
    expect(streamed.body).not.toBe(body);
  });

  it('an empty body reads as empty and streams no chunk', async () => {
    const empty = make(new Uint8Array(0));
    expect(await empty.text()).toBe('');
    const reader = make(new Uint8Array(0)).body.getReader();
    expect((await reader.read()).done).toBe(true);
  });
});
