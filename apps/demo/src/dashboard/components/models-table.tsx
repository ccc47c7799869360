import type { ModelRow } from '../../gateway/dashboard-snapshot.js';
import { ms, num, pct, perMillion, usd } from '../format.js';

function Breaker({ state, status }: { state: string; status: string }) {
  const tone =
    state === 'open' ? 'bad' : state === 'half-open' || status !== 'healthy' ? 'warn' : 'ok';
  return <span class={`pill pill-${tone}`}>{state}</span>;
}

/** Every registered model with its live figures. */
export function ModelsTable({ models }: { models: readonly ModelRow[] }) {
  const sorted = [...models].sort(
    (a, b) => b.requests - a.requests || a.model.localeCompare(b.model),
  );
  const anySimulated = models.some((m) => m.simulated);
  return (
    <section class="card" data-testid="models-table">
      <div class="card-head">
        <h2>Models</h2>
        <span class="muted">
          live figures per model
          {anySimulated ? ' · simulated providers are tagged; their figures are simulated' : ''}
        </span>
      </div>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>model</th>
              <th>provider</th>
              <th>breaker</th>
              <th class="num">requests</th>
              <th class="num">success</th>
              <th class="num">p50</th>
              <th class="num">p95</th>
              <th class="num">tokens/s</th>
              <th class="num">cost</th>
              <th class="num">reward</th>
              <th class="num">$/M in · out</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((m) => (
              <tr key={m.model} data-model={m.model}>
                <td class="model-name">{m.model}</td>
                <td>
                  {m.provider}
                  {m.simulated && <span class="sim-tag">sim</span>}
                  {m.fault && <span class="fault-tag">{m.fault.replace('_', ' ')}</span>}
                </td>
                <td>
                  <Breaker state={m.breaker} status={m.status} />
                </td>
                <td class="num" data-testid="model-requests">
                  {num(m.requests)}
                </td>
                <td class="num">{m.requests ? pct(m.successRate) : '–'}</td>
                <td class="num">{ms(m.latencyP50Ms)}</td>
                <td class="num">{ms(m.latencyP95Ms)}</td>
                <td class="num">{num(m.tokensPerSecond)}</td>
                <td class="num">{m.requests ? usd(m.totalCostUsd) : '–'}</td>
                <td class="num">{m.meanReward === undefined ? '–' : m.meanReward.toFixed(2)}</td>
                <td class="num muted">
                  {perMillion(m.pricing.inputPerMillion)} · {perMillion(m.pricing.outputPerMillion)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
