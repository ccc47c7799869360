const NEWLINE = 0x0a;

/** Decides what one parsed line means: undefined to pass it on, or the error that ends the stream. */
export type LineCheck = (value: unknown) => Error | undefined;

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Re-frames an NDJSON body into whole lines and validates each before the
 * SDK sees it. The SDK's own parser drops a line that is not JSON with a
 * console warning and reads on; here such a line ends the stream with
 * `onMalformed`'s error, after every line before it was delivered. Blank
 * lines (keep-alives) are dropped. Lines are cut on bytes, so a chunk
 * boundary anywhere — inside a UTF-8 sequence, between CR and LF — changes
 * nothing.
 */
export function validateNdjsonStream(
  source: ReadableStream<Uint8Array>,
  check: LineCheck,
  onMalformed: (line: string) => Error,
  onReadError: (error: unknown) => unknown = (error) => error,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let carry: Uint8Array | undefined;
  let failure: Error | undefined;

  /** Checks one complete line (without its newline); returns an error to stop at, if any. */
  const checkLine = (line: Uint8Array): Error | undefined => {
    const text = decoder.decode(line);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return onMalformed(text);
    }
    return check(value);
  };

  /** The deliverable bytes of one chunk: the complete, valid lines it finishes. */
  const frame = (chunk: Uint8Array): Uint8Array[] => {
    const out: Uint8Array[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl + 1);
      const line = carry ? concat(carry, piece) : piece;
      carry = undefined;
      start = nl + 1;
      const body = line.subarray(0, line.length - 1);
      if (isBlank(body)) continue;
      const error = checkLine(body);
      if (error) {
        failure = error;
        return out;
      }
      out.push(line);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      carry = carry ? concat(carry, rest) : rest.slice();
    }
    return out;
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (failure) {
        controller.error(failure);
        return;
      }
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          throw onReadError(error);
        }
        if (result.done) {
          const last = carry;
          carry = undefined;
          if (last && !isBlank(last)) {
            const error = checkLine(last);
            if (error) {
              controller.error(error);
              return;
            }
            controller.enqueue(last);
          }
          controller.close();
          return;
        }
        const lines = frame(result.value);
        if (lines.length === 0) {
          if (failure) {
            controller.error(failure);
            return;
          }
          continue;
        }
        // Whole lines go on in one piece; an error found after them waits for the next pull
        // (erroring now would discard what is queued).
        controller.enqueue(lines.length === 1 ? lines[0]! : joinLines(lines));
        if (failure) void reader.cancel().catch(() => {});
        return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function joinLines(lines: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const l of lines) size += l.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const l of lines) {
    out.set(l, at);
    at += l.length;
  }
  return out;
}
