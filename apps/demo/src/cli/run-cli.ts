import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ROUTING_STRATEGIES, TASK_TYPES, type TaskType } from '@orchestrator/core';
import { DEFAULT_PORT } from '../gateway/start-demo-gateway.js';
import { benchCommand } from './bench-command.js';
import { type ChatOptions, chatCommand, routeCommand } from './chat-commands.js';
import { type CliIo, createCliContext } from './cli-context.js';
import { CliError } from './cli-error.js';
import {
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  modelsCommand,
} from './models-and-keys-commands.js';

export const USAGE = `orchestrator — the Orchestrator gateway and its client

Usage:
  orchestrator serve [--port 8787] [--host 127.0.0.1] [--no-auth] [--traffic [--traffic-requests N]] [--data-dir .data]
  orchestrator chat "prompt" [--model NAME] [--strategy S] [--task T] [--max-tokens N]
  orchestrator route "prompt" [--model NAME] [--strategy S] [--task T]
  orchestrator models
  orchestrator keys create --user NAME [--name LABEL] [--budget USD] [--period daily|weekly|monthly|total] [--rpm N] [--admin]
  orchestrator keys list [--user NAME]
  orchestrator keys revoke <id>
  orchestrator bench [--requests 40] [--concurrency 4] [--strategy S] [--model NAME] [--seed N]

Client commands talk to --url (ORCHESTRATOR_URL, default http://127.0.0.1:${DEFAULT_PORT})
with --key (ORCHESTRATOR_API_KEY; the demo prints its admin key when it starts).
Strategies: ${ROUTING_STRATEGIES.join(', ')}
Tasks: ${TASK_TYPES.join(', ')}`;

const CLIENT_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const CHAT_OPTIONS = {
  ...CLIENT_OPTIONS,
  model: { type: 'string', short: 'm' },
  strategy: { type: 'string', short: 's' },
  task: { type: 'string', short: 't' },
  'max-tokens': { type: 'string' },
} as const;

function integer(
  name: string,
  raw: string | undefined,
  fallback: number,
  min = 1,
  max = 1_000_000,
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`, 2);
  return n;
}

function strategyOf(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === 'auto') return undefined;
  if (!(ROUTING_STRATEGIES as readonly string[]).includes(raw))
    throw new CliError(
      `--strategy must be one of ${ROUTING_STRATEGIES.join(', ')}; got "${raw}"`,
      2,
    );
  return raw;
}

function taskOf(raw: string | undefined): TaskType | undefined {
  if (raw === undefined) return undefined;
  if (!(TASK_TYPES as readonly string[]).includes(raw))
    throw new CliError(`--task must be one of ${TASK_TYPES.join(', ')}; got "${raw}"`, 2);
  return raw as TaskType;
}

function promptOf(command: string, positionals: readonly string[]): string {
  const prompt = positionals.join(' ').trim();
  if (prompt === '')
    throw new CliError(
      `${command} needs a prompt: orchestrator ${command} "Write a haiku about queues"`,
      2,
    );
  return prompt;
}

/**
 * Runs the CLI with `argv` (without `node` and the script); resolves with the
 * exit code. Errors the user can act on print one line, never a stack.
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [command, ...rest] = argv;
  const fail = (error: unknown): number => {
    if (error instanceof CliError) {
      io.stderr.write(`orchestrator: ${error.message}\n`);
      if (error.exitCode === 2) io.stderr.write('Run `orchestrator --help` for usage.\n');
      return error.exitCode;
    }
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(
        `orchestrator: ${(error as Error).message}\nRun \`orchestrator --help\` for usage.\n`,
      );
      return 2;
    }
    io.stderr.write(`orchestrator: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  };
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    const parse = <const O extends NonNullable<ParseArgsConfig['options']>>(options: O) =>
      parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
    const context = (values: { url?: string | undefined; key?: string | undefined }) =>
      createCliContext(
        values.url ?? env.ORCHESTRATOR_URL ?? `http://127.0.0.1:${DEFAULT_PORT}`,
        values.key ?? (env.ORCHESTRATOR_API_KEY?.trim() || undefined),
        env,
        io,
      );
    const helpOr = (values: { help?: boolean | undefined }, run: () => Promise<number>) => {
      if (values.help) {
        io.stdout.write(`${USAGE}\n`);
        return Promise.resolve(0);
      }
      return run();
    };
    switch (command) {
      case 'serve': {
        const { values, positionals } = parse({
          port: { type: 'string', short: 'p' },
          host: { type: 'string' },
          'no-auth': { type: 'boolean' },
          traffic: { type: 'boolean' },
          'traffic-requests': { type: 'string' },
          'data-dir': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        });
        if (positionals.length > 0)
          throw new CliError(`serve takes no arguments, got "${positionals.join(' ')}"`, 2);
        const { serveCommand } = await import('./serve-command.js');
        return await helpOr(values, () =>
          serveCommand(context({}), {
            port: integer('port', values.port ?? env.PORT, DEFAULT_PORT, 0, 65_535),
            host: values.host ?? '127.0.0.1',
            auth: values['no-auth'] !== true,
            traffic: values.traffic === true,
            trafficRequests: integer(
              'traffic-requests',
              values['traffic-requests'],
              400,
              1,
              100_000,
            ),
            dataDir: values['data-dir'] ?? '.data',
          }),
        );
      }
      case 'chat':
      case 'route': {
        const { values, positionals } = parse(CHAT_OPTIONS);
        return await helpOr(values, () => {
          const options: ChatOptions = {
            prompt: promptOf(command, positionals),
            model: values.model,
            strategy: strategyOf(values.strategy),
            task: taskOf(values.task),
            maxTokens:
              values['max-tokens'] === undefined
                ? undefined
                : integer('max-tokens', values['max-tokens'], 0),
          };
          const ctx = context(values);
          return command === 'chat' ? chatCommand(ctx, options) : routeCommand(ctx, options);
        });
      }
      case 'models': {
        const { values, positionals } = parse(CLIENT_OPTIONS);
        if (positionals.length > 0) throw new CliError('models takes no arguments', 2);
        return await helpOr(values, () => modelsCommand(context(values)));
      }
      case 'keys': {
        const { values, positionals } = parse({
          ...CLIENT_OPTIONS,
          user: { type: 'string', short: 'u' },
          name: { type: 'string' },
          budget: { type: 'string' },
          period: { type: 'string' },
          rpm: { type: 'string' },
          admin: { type: 'boolean' },
        });
        const [action, ...args] = positionals;
        return await helpOr(values, () => {
          const ctx = context(values);
          if (action === 'create') {
            if (!values.user) throw new CliError('keys create needs --user NAME', 2);
            const budget = values.budget === undefined ? undefined : Number(values.budget);
            if (budget !== undefined && !(Number.isFinite(budget) && budget >= 0))
              throw new CliError(
                `--budget must be a number of US dollars ≥ 0, got "${values.budget}"`,
                2,
              );
            const periods = ['daily', 'weekly', 'monthly', 'total'];
            if (values.period !== undefined && !periods.includes(values.period))
              throw new CliError(`--period must be one of ${periods.join(', ')}`, 2);
            return keysCreateCommand(ctx, {
              user: values.user,
              name: values.name,
              budgetUsd: budget,
              period: values.period,
              rpm: values.rpm === undefined ? undefined : integer('rpm', values.rpm, 0),
              admin: values.admin === true,
            });
          }
          if (action === 'list') return keysListCommand(ctx, values.user);
          if (action === 'revoke') {
            if (args.length !== 1) throw new CliError('keys revoke needs exactly one key id', 2);
            return keysRevokeCommand(ctx, args[0]!);
          }
          throw new CliError(
            `keys needs create, list or revoke${action ? `, got "${action}"` : ''}`,
            2,
          );
        });
      }
      case 'bench': {
        const { values, positionals } = parse({
          ...CLIENT_OPTIONS,
          requests: { type: 'string', short: 'n' },
          concurrency: { type: 'string', short: 'c' },
          strategy: { type: 'string', short: 's' },
          model: { type: 'string', short: 'm' },
          seed: { type: 'string' },
        });
        if (positionals.length > 0) throw new CliError('bench takes no arguments', 2);
        return await helpOr(values, () =>
          benchCommand(context(values), {
            requests: integer('requests', values.requests, 40, 1, 100_000),
            concurrency: integer('concurrency', values.concurrency, 4, 1, 256),
            strategy: strategyOf(values.strategy),
            model: values.model,
            seed: integer('seed', values.seed, 1, 0, 2 ** 31),
          }),
        );
      }
      default:
        throw new CliError(`unknown command "${command}"`, 2);
    }
  } catch (error) {
    return fail(error);
  }
}
