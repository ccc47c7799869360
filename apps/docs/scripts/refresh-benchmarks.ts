import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { parseBenchOutput } from './parse-bench-output.js';
import { docsRoot, repoRoot } from './paths.js';

/**
 * Runs the repository's benchmarks (bench/src/run-all.ts, exactly as
 * `pnpm bench` does) and stores their tables as benchmarks/latest.json, which
 * the site's benchmark page is generated from at build time.
 *
 *   pnpm --filter @orchestrator/docs bench:refresh              # every bench
 *   pnpm --filter @orchestrator/docs bench:refresh registry     # those whose path has a word
 *   pnpm --filter @orchestrator/docs bench:refresh --from-file out.txt   # parse a saved run
 *
 * The build itself never runs benchmarks: figures stay those of the last
 * deliberate run, and the build stays fast and deterministic.
 */
const args = process.argv.slice(2);
const fromFile = args.includes('--from-file') ? args[args.indexOf('--from-file') + 1] : undefined;
const words = args.filter((a, i) => a !== '--from-file' && args[i - 1] !== '--from-file');
const command = `node --expose-gc --conditions=@orchestrator/source --import tsx src/run-all.ts${words.length ? ` ${words.join(' ')}` : ''}`;

let output: string;
if (fromFile) {
  output = readFileSync(fromFile, 'utf8');
} else {
  console.log(`bench$ ${command}`);
  const run = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--conditions=@orchestrator/source',
      '--import',
      'tsx',
      'src/run-all.ts',
      ...words,
    ],
    {
      cwd: join(repoRoot, 'bench'),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (run.status !== 0) {
    console.error(run.stdout);
    throw new Error(`the benchmarks failed (exit ${run.status})`);
  }
  output = run.stdout;
}

const parsed = parseBenchOutput(output);
if (parsed.sections.length === 0) throw new Error('no benchmark tables found in the output');
const cpu = cpus();
const result = {
  command: `cd bench && ${command}`,
  machine: {
    platform: `${platform()} ${release()}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
  },
  ...parsed,
};
await writeFile(
  join(docsRoot, 'benchmarks', 'latest.json'),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(`benchmarks/latest.json: ${parsed.sections.length} tables`);
