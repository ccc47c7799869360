import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Runs every `*.bench.ts` under src/ (or only those whose path contains one of
// the words given on the command line: `pnpm bench registry adapters`).
const root = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = (await readdir(root, { recursive: true }))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

// Each file runs in a process of its own, with the flags this one was started
// with: one benchmark's heap, JIT state and garbage must not be measured as
// another's (the registry's record() at 10,000 models ran 2x slower after the
// gateway benchmark in the same process). `--one <file>` is that child.
const oneIndex = process.argv.indexOf('--one');
if (oneIndex !== -1) {
  const file = process.argv[oneIndex + 1]!;
  const mod = (await import(pathToFileURL(`${root}${file}`).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') throw new Error(`${file} must export run()`);
  await mod.run();
} else {
  console.log(`# Orchestrator benchmarks — node ${process.version}, ${new Date().toISOString()}`);
  console.log(
    'Figures are medians of many samples on a shared, noisy machine; compare ratios within one run.',
  );
  for (const file of files) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--one', file],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) {
      throw new Error(`${file} failed (exit ${child.status ?? child.signal})`);
    }
  }
}
