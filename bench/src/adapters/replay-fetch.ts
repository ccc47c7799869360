/** One recorded HTTP answer: status, content type and body bytes. */
export interface Recorded {
  readonly status: number;
  readonly type: string;
  readonly body: Uint8Array;
}

/** Sends one request to the fake server with Node's fetch and keeps the answer. */
export async function recordAnswer(url: string, init: RequestInit): Promise<Recorded> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? 'application/octet-stream',
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

/**
 * A fetch answering from memory: `pick` chooses the recorded answer for a
 * request, whose body is handed over one line per chunk, as a socket would
 * deliver an event stream. Both sides of a replay comparison get the same
 * fetch, so what differs is only the adapter's CPU work: no socket, no server,
 * far less of the loopback noise of a shared machine.
 */
export function replayFetch(
  pick: (url: string, init: RequestInit | undefined) => Recorded,
): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const answer = pick(url, init);
    const bytes = answer.body;
    const pieces: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0x0a) {
        pieces.push(bytes.subarray(start, i + 1));
        start = i + 1;
      }
    }
    if (start < bytes.length) pieces.push(bytes.subarray(start));
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const piece = pieces[next++];
        if (piece) controller.enqueue(piece);
        else controller.close();
      },
    });
    return new Response(body, { status: answer.status, headers: { 'content-type': answer.type } });
  }) as typeof fetch;
}
