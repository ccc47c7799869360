import { asJson, contentText, isReasoningModelId } from './openai-chat-answer.js';
import type { OpenAIErrorSpec } from './openai-error-body.js';

/**
 * The checks the real Chat Completions endpoint makes that clients trip over:
 * missing fields, sampling parameters a reasoning model refuses, `max_tokens`
 * on a reasoning model, JSON mode without the word "json", stream options
 * without streaming. Returns the 400 to send, or undefined.
 */
export function validateChatRequest(body: unknown): OpenAIErrorSpec | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      status: 400,
      message:
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
    };
  }
  const b = asJson(body);
  if (typeof b.model !== 'string' || b.model === '') {
    return { status: 400, param: 'model', message: 'you must provide a model parameter' };
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    return {
      status: 400,
      param: 'messages',
      code: 'empty_array',
      message: "[] is too short - 'messages'",
    };
  }
  for (const [i, m] of b.messages.map(asJson).entries()) {
    if (
      !['system', 'developer', 'user', 'assistant', 'tool', 'function'].includes(String(m.role))
    ) {
      return {
        status: 400,
        param: `messages[${i}].role`,
        code: 'invalid_value',
        message: `Invalid value: '${String(m.role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
      };
    }
    if (m.role === 'tool' && typeof m.tool_call_id !== 'string') {
      return {
        status: 400,
        param: `messages[${i}].tool_call_id`,
        message: `Missing required parameter: 'messages[${i}].tool_call_id'.`,
      };
    }
  }
  if (b.stream_options != null && b.stream !== true) {
    return {
      status: 400,
      param: 'stream_options',
      code: 'invalid_value',
      message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
    };
  }
  if (Array.isArray(b.tools)) {
    for (const [i, t] of b.tools.map(asJson).entries()) {
      if (t.type !== 'function' || typeof asJson(t.function).name !== 'string') {
        return {
          status: 400,
          param: `tools[${i}]`,
          message: `Missing required parameter: 'tools[${i}].function.name'.`,
        };
      }
    }
  }
  if (asJson(b.response_format).type === 'json_object') {
    const mentionsJson = b.messages.some((m) => /json/i.test(contentText(asJson(m).content)));
    if (!mentionsJson) {
      return {
        status: 400,
        param: 'messages',
        code: 'invalid_request_error',
        message:
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      };
    }
  }
  return isReasoningModelId(b.model) ? validateReasoning(b) : validateNonReasoning(b);
}

function validateReasoning(b: Readonly<Record<string, unknown>>): OpenAIErrorSpec | undefined {
  for (const param of ['temperature', 'top_p'] as const) {
    const value = b[param];
    if (value != null && value !== 1) {
      return {
        status: 400,
        param,
        code: 'unsupported_value',
        message: `Unsupported value: '${param}' does not support ${String(value)} with this model. Only the default (1) value is supported.`,
      };
    }
  }
  for (const [param, hint] of [
    ['max_tokens', " Use 'max_completion_tokens' instead."],
    ['stop', ''],
    ['presence_penalty', ''],
    ['frequency_penalty', ''],
  ] as const) {
    if (b[param] != null) {
      return {
        status: 400,
        param,
        code: 'unsupported_parameter',
        message: `Unsupported parameter: '${param}' is not supported with this model.${hint}`,
      };
    }
  }
  return undefined;
}

function validateNonReasoning(b: Readonly<Record<string, unknown>>): OpenAIErrorSpec | undefined {
  if (b.reasoning_effort != null) {
    return {
      status: 400,
      param: 'reasoning_effort',
      code: 'unsupported_parameter',
      message: "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
    };
  }
  return undefined;
}
