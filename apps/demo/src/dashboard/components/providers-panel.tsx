import { useState } from 'preact/hooks';
import type { ModelRow } from '../../gateway/dashboard-snapshot.js';
import type { LazyState, ProviderStatus } from '../../simulated/index.js';
import { setFault } from '../api.js';

const FAULT_BUTTONS = [
  { fault: 'outage', label: 'Outage' },
  { fault: 'slow', label: 'Slow' },
  { fault: 'rate_limit', label: '429s' },
] as const;

interface Props {
  readonly apiKey: string | undefined;
  readonly providers: readonly ProviderStatus[];
  readonly lazy: readonly LazyState[];
  readonly models: readonly ModelRow[];
  readonly onChange: () => void;
}

/** The providers, their lazy loaders, and buttons to break a simulated one and watch the fallback. */
export function ProvidersPanel({ apiKey, providers, lazy, models, onChange }: Props) {
  const [error, setError] = useState<string | undefined>();
  const act = async (provider: string, fault: string | null) => {
    try {
      await setFault(apiKey, provider, fault);
      setError(undefined);
      onChange();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section class="card" data-testid="providers">
      <div class="card-head">
        <h2>Providers &amp; faults</h2>
        <span class="muted">
          break a simulated provider; watch breakers open and traffic fall back
        </span>
      </div>
      {error && <p class="error">{error}</p>}
      <ul class="providers">
        {providers.map((p) => {
          const open = models.filter(
            (m) => p.models.includes(m.model) && m.breaker !== 'closed',
          ).length;
          return (
            <li key={p.provider} class={p.fault ? 'provider provider-fault' : 'provider'}>
              <div class="provider-head">
                <strong>{p.label}</strong>
                {p.simulated ? (
                  <span class="sim-tag">simulated</span>
                ) : (
                  <span class="live-tag">live · {p.keyVariable}</span>
                )}
                <span class="muted">
                  {p.models.length} model{p.models.length === 1 ? '' : 's'}
                  {open > 0 ? ` · ${open} breaker${open === 1 ? '' : 's'} not closed` : ''}
                </span>
              </div>
              {p.simulated && (
                <div class="fault-buttons">
                  {FAULT_BUTTONS.map((b) => (
                    <button
                      type="button"
                      key={b.fault}
                      class={p.fault === b.fault ? 'btn btn-active' : 'btn'}
                      onClick={() => void act(p.provider, b.fault)}
                      data-testid={`fault-${p.provider}-${b.fault}`}
                    >
                      {b.label}
                    </button>
                  ))}
                  <button
                    type="button"
                    class="btn btn-ok"
                    disabled={!p.fault}
                    onClick={() => void act(p.provider, null)}
                    data-testid={`recover-${p.provider}`}
                  >
                    Recover
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {lazy.length > 0 && (
        <>
          <h3 class="subhead">Lazy loaders</h3>
          <ul class="lazy">
            {lazy.map((l) => (
              <li key={l.model}>
                <div class="lazy-head">
                  <strong>{l.model}</strong>
                  <span
                    class={`pill pill-${l.state === 'ready' ? 'ok' : l.state === 'failed' ? 'bad' : l.state === 'loading' ? 'warn' : 'idle'}`}
                  >
                    {l.kind === 'ollama-pull' ? 'pull' : 'cold start'}: {l.state}
                  </span>
                </div>
                <div class="bar">
                  <div
                    class={`bar-fill ${l.state === 'loading' && l.progress === undefined ? 'bar-indeterminate' : ''}`}
                    style={{
                      width: `${(l.state === 'ready' ? 1 : (l.progress ?? (l.state === 'loading' ? 0.35 : 0))) * 100}%`,
                    }}
                  />
                </div>
                <div class="muted small">{l.detail}</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
