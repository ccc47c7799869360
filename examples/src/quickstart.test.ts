import { expect, it, vi } from 'vitest';
import { main } from './quickstart.js';

it('the quickstart runs end to end and shows each part working', async () => {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: string) => {
    lines.push(text);
  });
  await main();
  log.mockRestore();
  const out = lines.join('\n');
  expect(out).toContain('Hello! I am a custom Model subclass.');
  expect(out).toMatch(/vision\s+→ sim-large/);
  expect(out).toMatch(/cheapest with tool calling\s+→ sim-small/);
  expect(out).toMatch(/vision under \$0\.001\s+→ none: .*sim-large estimated cost/);
  expect(out).toMatch(/sim-large: unhealthy, breaker open/);
  expect(out).toMatch(/vision \(only sim-large has it\)\s+→ none: .*circuit breaker open until/);
});
