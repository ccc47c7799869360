/** One entry of the fake's `/v1/models` catalogue. */
export interface FakeAnthropicModelInfo {
  readonly id: string;
  readonly display_name: string;
  readonly created_at: string;
  readonly max_input_tokens?: number;
  readonly max_tokens?: number;
}

/** The models the fake lists by default, newest first (as the real API orders them). */
export const DEFAULT_ANTHROPIC_MODELS: readonly FakeAnthropicModelInfo[] = [
  {
    id: 'claude-opus-5-5',
    display_name: 'Claude Opus 5.5',
    created_at: '2026-10-01T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  {
    id: 'claude-sonnet-5-5',
    display_name: 'Claude Sonnet 5.5',
    created_at: '2026-09-20T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  {
    id: 'claude-haiku-5-5',
    display_name: 'Claude Haiku 5.5',
    created_at: '2026-09-20T00:00:00Z',
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
  },
  {
    id: 'claude-haiku-4-5-20251001',
    display_name: 'Claude Haiku 4.5',
    created_at: '2025-10-01T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  },
  {
    id: 'claude-sonnet-4-5-20250929',
    display_name: 'Claude Sonnet 4.5',
    created_at: '2025-09-29T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  },
  {
    id: 'claude-opus-4-1-20250805',
    display_name: 'Claude Opus 4.1',
    created_at: '2025-08-05T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 32_000,
  },
  {
    id: 'claude-sonnet-4-20250514',
    display_name: 'Claude Sonnet 4',
    created_at: '2025-05-14T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
  },
  {
    id: 'claude-3-haiku-20240307',
    display_name: 'Claude Haiku 3',
    created_at: '2024-03-07T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 4_096,
  },
];

/** A catalogue entry in the shape of the API's `ModelInfo`. */
export function encodeModelInfo(model: FakeAnthropicModelInfo): Record<string, unknown> {
  return {
    type: 'model',
    id: model.id,
    display_name: model.display_name,
    created_at: model.created_at,
    capabilities: null,
    deprecated_at: null,
    lifecycle: 'active',
    line: /opus|sonnet|haiku|fable|mythos/.exec(model.id)?.[0] ?? null,
    max_input_tokens: model.max_input_tokens ?? null,
    max_tokens: model.max_tokens ?? null,
    retires_at: null,
  };
}
