#!/usr/bin/env node
// The `orchestrator` command. It runs the TypeScript sources through tsx, with
// the workspace packages resolved to their sources too (no build needed).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'src', 'cli', 'main.ts');
const result = spawnSync(
  process.execPath,
  ['--conditions=@orchestrator/source', '--import', 'tsx', entry, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exitCode = result.status ?? 1;
