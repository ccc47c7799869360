import type { MessagesBody } from './plan-anthropic-answer.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The checks of the real API that catch adapter mapping bugs: required
 * fields, roles, tool results that answer the previous turn's tool uses, and
 * the thinking budget. Returns the error message, or undefined when valid.
 */
export function validateMessagesBody(body: unknown, countOnly = false): string | undefined {
  if (!isRecord(body)) return 'Request body must be a JSON object.';
  const b = body as MessagesBody;
  if (typeof b.model !== 'string' || b.model === '') return 'model: Field required';
  if (!countOnly) {
    if (b.max_tokens === undefined) return 'max_tokens: Field required';
    if (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 1) {
      return 'max_tokens: Input should be a positive integer';
    }
  }
  if (!Array.isArray(b.messages)) return 'messages: Field required';
  if (b.messages.length === 0) return 'messages: at least one message is required';
  if (b.system !== undefined && typeof b.system !== 'string' && !Array.isArray(b.system)) {
    return 'system: Input should be a valid string or list of text blocks';
  }
  let previousToolUses = new Set<string>();
  for (const [i, message] of b.messages.entries()) {
    if (!isRecord(message)) return `messages.${i}: Input should be an object`;
    if (message.role !== 'user' && message.role !== 'assistant') {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    const content = message.content;
    if (typeof content !== 'string' && !Array.isArray(content)) {
      return `messages.${i}.content: Input should be a valid string or list`;
    }
    const blocks = Array.isArray(content) ? content : [];
    const toolUses = new Set<string>();
    for (const [j, block] of blocks.entries()) {
      if (!isRecord(block) || typeof block.type !== 'string') {
        return `messages.${i}.content.${j}: Input should be a content block`;
      }
      if (block.type === 'tool_use') {
        if (message.role !== 'assistant')
          return `messages.${i}.content.${j}: tool_use only in assistant turns`;
        if (!isRecord(block.input))
          return `messages.${i}.content.${j}.input: Input should be an object`;
        toolUses.add(String(block.id));
      }
      if (block.type === 'tool_result') {
        if (message.role !== 'user')
          return `messages.${i}.content.${j}: tool_result only in user turns`;
        if (!previousToolUses.has(String(block.tool_use_id))) {
          return `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
        }
      }
    }
    previousToolUses = toolUses;
  }
  if (isRecord(b.thinking) && b.thinking.type === 'enabled') {
    const budget = b.thinking.budget_tokens;
    if (typeof budget !== 'number' || budget < 1024) {
      return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
    }
    if (!countOnly && typeof b.max_tokens === 'number' && budget >= b.max_tokens) {
      return '`max_tokens` must be greater than `thinking.budget_tokens`.';
    }
  }
  return undefined;
}
