import { runCli } from './cli/run-cli.js';

// `pnpm start`: the gateway with its dashboard (the CLI's `serve` command).
process.exitCode = await runCli(['serve', ...process.argv.slice(2)]);
