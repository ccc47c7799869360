import type { RoutingDecision } from '@orchestrator/core';
import { useRef, useState } from 'preact/hooks';
import type { ModelRow } from '../../gateway/dashboard-snapshot.js';
import { streamChat } from '../api.js';
import { ms, usd } from '../format.js';

const STRATEGIES = [
  'auto',
  'balanced',
  'cost_optimal',
  'performance_optimal',
  'quality_optimal',
  'learned',
];
const TASKS = [
  'auto',
  'code_generation',
  'code_completion',
  'code_optimization',
  'refactoring',
  'testing',
  'documentation',
  'explanation',
  'analysis',
  'general',
];

interface Result {
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly latencyMs: number;
  readonly firstTokenMs: number | undefined;
  readonly attempts: number;
}

/** Type a prompt, pick a strategy or a model, see the decision, then the streamed answer. */
export function Playground({
  apiKey,
  models,
}: {
  apiKey: string | undefined;
  models: readonly ModelRow[];
}) {
  const [prompt, setPrompt] = useState(
    'Write a debounce function in TypeScript with a cancel method.',
  );
  const [strategy, setStrategy] = useState('auto');
  const [model, setModel] = useState('auto');
  const [task, setTask] = useState('auto');
  const [decision, setDecision] = useState<RoutingDecision | undefined>();
  const [answer, setAnswer] = useState('');
  const [result, setResult] = useState<Result | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const send = async () => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setBusy(true);
    setDecision(undefined);
    setAnswer('');
    setResult(undefined);
    setError(undefined);
    const started = performance.now();
    let firstTokenMs: number | undefined;
    try {
      for await (const event of streamChat(
        apiKey,
        { prompt, strategy, model, task },
        abort.signal,
      )) {
        const data = JSON.parse(event.data) as Record<string, unknown>;
        if (event.event === 'decision') setDecision(data as unknown as RoutingDecision);
        else if (
          event.event === 'chunk' &&
          data.type === 'text-delta' &&
          typeof data.text === 'string'
        ) {
          firstTokenMs ??= performance.now() - started;
          const text = data.text;
          setAnswer((a) => a + text);
        } else if (event.event === 'record') {
          const r = data as {
            modelUsed: string;
            usage: { inputTokens?: number; outputTokens?: number };
            costUsd: number;
            processingTimeMs: number;
            attempts: readonly unknown[];
          };
          setResult({
            model: r.modelUsed,
            inputTokens: r.usage.inputTokens ?? 0,
            outputTokens: r.usage.outputTokens ?? 0,
            costUsd: r.costUsd,
            latencyMs: r.processingTimeMs,
            firstTokenMs,
            attempts: r.attempts.length,
          });
        } else if (event.event === 'error') {
          const e = data as { error?: { message?: string } };
          setError(e.error?.message ?? 'The stream failed.');
        }
      }
    } catch (e) {
      if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (controller.current === abort) setBusy(false);
    }
  };

  return (
    <section class="card playground" data-testid="playground">
      <div class="card-head">
        <h2>Playground</h2>
        <span class="muted">routes through the same engine as the API</span>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <textarea
          rows={3}
          value={prompt}
          onInput={(e) => setPrompt((e.target as HTMLTextAreaElement).value)}
          aria-label="Prompt"
          data-testid="prompt"
        />
        <div class="controls">
          <label>
            strategy
            <select
              value={strategy}
              onChange={(e) => setStrategy((e.target as HTMLSelectElement).value)}
              data-testid="strategy"
            >
              {STRATEGIES.map((s) => (
                <option key={s} value={s}>
                  {s === 'auto' ? 'default' : s.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            model
            <select
              value={model}
              onChange={(e) => setModel((e.target as HTMLSelectElement).value)}
              data-testid="model"
            >
              <option value="auto">auto (let it route)</option>
              {models.map((m) => (
                <option key={m.model} value={m.model}>
                  {m.model}
                </option>
              ))}
            </select>
          </label>
          <label>
            task
            <select value={task} onChange={(e) => setTask((e.target as HTMLSelectElement).value)}>
              {TASKS.map((t) => (
                <option key={t} value={t}>
                  {t === 'auto' ? 'infer from prompt' : t.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </label>
          <button
            type="submit"
            class="btn btn-primary"
            disabled={busy || prompt.trim() === ''}
            data-testid="send"
          >
            {busy ? 'Streaming…' : 'Send'}
          </button>
        </div>
      </form>
      {decision && (
        <div class="decision" data-testid="decision">
          <div class="decision-head">
            <span class="tag tag-decision">route</span>
            <strong>{decision.model}</strong>
            <span class="muted">
              {decision.strategy.replace(/_/g, ' ')} · {decision.taskType.replace(/_/g, ' ')}
              {decision.taskTypeInferred ? ' (inferred)' : ''} · {decision.complexity} · est.{' '}
              {usd(decision.estimatedCostUsd)}, {ms(decision.estimatedLatencyMs)} · confidence{' '}
              {decision.confidence.toFixed(2)}
            </span>
          </div>
          <p class="reasoning">{decision.reasoning}</p>
          {decision.fallbacks.length > 0 && (
            <p class="muted small">
              fallbacks: {decision.fallbacks.map((f) => f.model).join(' → ')}
            </p>
          )}
        </div>
      )}
      {(answer || busy) && (
        <pre class="answer" data-testid="answer">
          {answer}
          {busy && <span class="caret" />}
        </pre>
      )}
      {result && (
        <div class="result" data-testid="result">
          <span>{result.model}</span>
          <span>
            {result.inputTokens} in / {result.outputTokens} out tokens
          </span>
          <span>{usd(result.costUsd)}</span>
          <span>
            {ms(result.latencyMs)} total
            {result.firstTokenMs === undefined ? '' : ` · first token ${ms(result.firstTokenMs)}`}
          </span>
          {result.attempts > 1 && <span class="warn">{result.attempts} attempts</span>}
        </div>
      )}
      {error && (
        <p class="error" data-testid="playground-error">
          {error}
        </p>
      )}
    </section>
  );
}
