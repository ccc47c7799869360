#!/usr/bin/env node
// The `orchestrator` command. It runs the TypeScript sources through tsx, with
// the workspace packages resolved to their sources too (no build needed).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'src', 'cli', 'main.ts');
// `--import tsx` would be resolved from the working directory, where pnpm's
// strict node_modules has no tsx (the repository root, any other folder):
// resolve it from this package instead.
const tsx = import.meta.resolve('tsx');
const child = spawn(
  process.execPath,
  ['--conditions=@orchestrator/source', '--import', tsx, entry, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// Signals sent to this process alone (a process manager's SIGTERM) must reach the gateway too,
// or it would outlive its launcher.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
