import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * The decoders for a response's `Content-Encoding`, outermost last (as the
 * header lists them), or undefined when the body is not encoded or uses an
 * encoding fetch would not decode either (then it is handed over as it is).
 *
 * The transport asks for no encoding, so servers answer in identity; this is
 * for the request that asks (an `Accept-Encoding` header of its own) and the
 * server or proxy that compresses anyway: fetch decodes those, so must this.
 */
function decodersFor(encoding: string | string[] | undefined): Transform[] | undefined {
  if (encoding === undefined) return undefined;
  const codings = (Array.isArray(encoding) ? encoding.join(',') : encoding)
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return undefined;
  const decoders: Transform[] = [];
  // Applied in the order listed, so undone in reverse.
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(createGunzip());
    else if (coding === 'deflate') decoders.push(createInflate());
    else if (coding === 'br') decoders.push(createBrotliDecompress());
    else return undefined;
  }
  return decoders;
}

/** `body` decoded as its `Content-Encoding` says; the same stream when there is nothing to undo. */
export function decodedBody(body: Readable, encoding: string | string[] | undefined): Readable {
  const decoders = decodersFor(encoding);
  if (decoders === undefined) return body;
  // pipeline() destroys every stage when one fails or is destroyed: cancelling the
  // decoded stream still closes the connection.
  const streams = [body, ...decoders] as [Readable, ...Transform[]];
  return (pipeline as (...s: unknown[]) => Readable)(...streams, () => undefined);
}
