import type { RoutingDecision, TaskType } from '@orchestrator/core';
import type { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';
import { ms, usd } from './format-table.js';
import { readSse } from './read-sse.js';

export interface ChatOptions {
  readonly prompt: string;
  readonly model: string | undefined;
  readonly strategy: string | undefined;
  readonly task: TaskType | undefined;
  readonly maxTokens: number | undefined;
}

function body(o: ChatOptions): Record<string, unknown> {
  return {
    messages: [{ role: 'user', content: o.prompt }],
    ...(o.model === undefined ? {} : { model: o.model }),
    ...(o.strategy === undefined ? {} : { strategy: o.strategy }),
    ...(o.task === undefined ? {} : { taskType: o.task }),
    ...(o.maxTokens === undefined ? {} : { maxTokens: o.maxTokens }),
  };
}

function describeDecision(d: RoutingDecision): string[] {
  const lines = [
    `model       ${d.model} (${d.provider})`,
    `strategy    ${d.strategy}`,
    `task        ${d.taskType}${d.taskTypeInferred ? ' (inferred from the prompt)' : ''}, ${d.complexity} complexity`,
    `estimate    ${usd(d.estimatedCostUsd)}, ${ms(d.estimatedLatencyMs)}, ~${d.estimatedInputTokens} input tokens`,
    `confidence  ${d.confidence.toFixed(2)} (${d.candidates} candidate models)`,
    `reasoning   ${d.reasoning}`,
  ];
  if (d.fallbacks.length > 0) {
    lines.push('fallbacks');
    for (const f of d.fallbacks) lines.push(`  → ${f.model} (${f.provider}): ${f.reason}`);
  }
  return lines;
}

/** `orchestrator route "…"`: the decision and its reasoning, without calling a model. */
export async function routeCommand(ctx: CliContext, options: ChatOptions): Promise<number> {
  const { decision } = await ctx
    .client()
    .json<{ decision: RoutingDecision }>('POST', '/api/v1/orchestrator/chat/route', body(options));
  ctx.out(describeDecision(decision).join('\n'));
  return 0;
}

interface StreamRecord {
  readonly modelUsed: string;
  readonly usage: { readonly inputTokens?: number; readonly outputTokens?: number };
  readonly costUsd: number;
  readonly processingTimeMs: number;
  readonly cached: boolean;
  readonly attempts: readonly { readonly model: string; readonly outcome: string }[];
}

/** `orchestrator chat "…"`: the routing decision, then the answer streamed as it arrives. */
export async function chatCommand(ctx: CliContext, options: ChatOptions): Promise<number> {
  const res = await ctx.client().send('POST', '/api/v1/orchestrator/chat/stream', body(options));
  if (!res.body) throw new CliError('The gateway sent an empty stream.', 1);
  let wroteText = false;
  for await (const event of readSse(res.body)) {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    if (event.event === 'decision') {
      const d = data as unknown as RoutingDecision;
      ctx.err(ctx.dim(`→ ${d.model} · ${d.strategy} · ${d.taskType} (${d.complexity})`));
    } else if (event.event === 'chunk') {
      if (data.type === 'text-delta' && typeof data.text === 'string') {
        ctx.write(data.text);
        wroteText = true;
      }
    } else if (event.event === 'record') {
      const r = data as unknown as StreamRecord;
      if (wroteText) ctx.write('\n');
      const failed = r.attempts.filter((a) => a.outcome !== 'success');
      const retries = failed.length > 0 ? ` · ${failed.length} failed attempt(s) before it` : '';
      ctx.err(
        ctx.dim(
          `${r.modelUsed} · ${r.usage.inputTokens ?? 0} in / ${r.usage.outputTokens ?? 0} out tokens · ${usd(r.costUsd)} · ${ms(r.processingTimeMs)}${r.cached ? ' · cached' : ''}${retries}`,
        ),
      );
    } else if (event.event === 'error') {
      if (wroteText) ctx.write('\n');
      const e = data as { error?: { message?: string; code?: string } };
      throw new CliError(`The stream failed: ${e.error?.message ?? 'unknown error'}`, 1);
    }
  }
  return 0;
}
