import { useCallback, useEffect, useState } from 'preact/hooks';
import type { DashboardSnapshot } from '../gateway/dashboard-snapshot.js';
import { ApiFailure, fetchSnapshot, saveKey, takeKey } from './api.js';
import { Charts } from './components/charts.js';
import { FeedPanel } from './components/feed-panel.js';
import { KeyPrompt } from './components/key-prompt.js';
import { KpiCards } from './components/kpi-cards.js';
import { ModelsTable } from './components/models-table.js';
import { Playground } from './components/playground.js';
import { ProvidersPanel } from './components/providers-panel.js';
import { UsersPanel } from './components/users-panel.js';

const POLL_MS = 1_500;

export function App() {
  const [key, setKey] = useState<string | undefined>(() => takeKey());
  const [snapshot, setSnapshot] = useState<DashboardSnapshot | undefined>();
  const [needsKey, setNeedsKey] = useState(false);
  const [offline, setOffline] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setSnapshot(await fetchSnapshot(key));
      setOffline(false);
      setNeedsKey(false);
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) setNeedsKey(true);
      else setOffline(true);
    }
  }, [key]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  if (needsKey)
    return (
      <KeyPrompt
        onKey={(k) => {
          saveKey(k);
          setKey(k);
          setNeedsKey(false);
        }}
      />
    );

  const simulated = snapshot?.simulated ?? true;
  return (
    <div class="page">
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true" />
          <div>
            <h1>Orchestrator</h1>
            <p class="subtitle">one gateway, many models — routed per request</p>
          </div>
        </div>
        <div class="status">
          {snapshot && (
            <>
              <span class="chip">{snapshot.models.length} models</span>
              <span class="chip">storage: {snapshot.storage}</span>
              <span class={`chip ${snapshot.auth ? '' : 'chip-warn'}`}>
                {snapshot.auth ? 'auth on' : 'auth off'}
              </span>
            </>
          )}
          <span class={`chip ${offline ? 'chip-bad' : 'chip-ok'}`} data-testid="connection">
            {offline ? 'gateway unreachable' : snapshot ? 'live' : 'connecting…'}
          </span>
        </div>
      </header>
      {simulated && (
        <div class="sim-banner" data-testid="simulated-banner">
          <strong>SIMULATED</strong> Providers without a key are fake servers on loopback that speak
          each provider's real wire protocol, driven through the real SDKs. Latency, tokens, costs
          and failures on this page are <em>simulated</em>; answers start with “[simulated]”.
        </div>
      )}
      <KpiCards snapshot={snapshot} />
      <Charts series={snapshot?.series ?? []} simulated={simulated} />
      <div class="grid-2">
        <Playground apiKey={key} models={snapshot?.models ?? []} />
        <FeedPanel apiKey={key} enabled={!needsKey} />
      </div>
      <ModelsTable models={snapshot?.models ?? []} />
      <div class="grid-2">
        <ProvidersPanel
          apiKey={key}
          providers={snapshot?.providers ?? []}
          lazy={snapshot?.lazy ?? []}
          models={snapshot?.models ?? []}
          onChange={refresh}
        />
        <UsersPanel users={snapshot?.users ?? []} simulated={simulated} />
      </div>
      <footer class="footer">
        API base URL <code>{location.origin}/v1</code> · orchestrator API{' '}
        <code>/api/v1/orchestrator/</code> · <a href="/docs">API reference</a> ·{' '}
        <a href="/metrics">Prometheus metrics</a>
      </footer>
    </div>
  );
}
