import { useState } from 'preact/hooks';

/** Shown when the gateway wants a key and the page has none (or a stale one). */
export function KeyPrompt({ onKey }: { onKey: (key: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <div class="key-prompt">
      <h1>Orchestrator</h1>
      <p>
        This gateway has authentication on. Open the dashboard link the gateway printed at start (it
        carries the admin key), or paste the admin key here.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onKey(value.trim());
        }}
      >
        <input
          type="password"
          placeholder="orch_admin_…"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          aria-label="Admin key"
        />
        <button type="submit">Open dashboard</button>
      </form>
    </div>
  );
}
