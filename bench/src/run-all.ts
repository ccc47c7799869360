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

console.log(`# Orchestrator benchmarks — node ${process.version}, ${new Date().toISOString()}`);
console.log(
  'Figures are medians of many samples on a shared, noisy machine; compare ratios within one run.',
);
for (const file of files) {
  const mod = (await import(pathToFileURL(`${root}${file}`).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') throw new Error(`${file} must export run()`);
  await mod.run();
}
