/**
 * Gemini function calls usually carry no id, so the adapter makes one. It is
 * a pure function of the response id, the call's position, name and
 * arguments: the same response gives the same ids (streamed or not), and
 * the prefix lets the adapter leave its own ids out of what it sends back.
 */
const PREFIX = 'gcall_';

export function syntheticToolCallId(
  responseId: string | undefined,
  index: number,
  name: string,
  args: string,
): string {
  const key = `${responseId ?? ''}\u0000${index}\u0000${name}\u0000${args}`;
  return `${PREFIX}${fnv1a(key, 0x811c9dc5).toString(36)}${fnv1a(key, 0x01000193).toString(36)}`;
}

export function isSyntheticToolCallId(id: string): boolean {
  return id.startsWith(PREFIX);
}

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
