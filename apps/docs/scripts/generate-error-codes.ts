import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { dispositionOf, OrchestratorError } from '@orchestrator/core';
import { ERROR_CODE_NOTES, GATEWAY_CODE_NOTES } from './error-code-notes.js';
import { gatewayErrorTable } from './generate-gateway-reference.js';
import { docsRoot, repoRoot } from './paths.js';

export interface FoundCode {
  readonly code: string;
  readonly classes: readonly string[];
  readonly files: readonly string[];
  /** `true`/`false` when every class states it, `'varies'` when it depends on the case. */
  readonly retryable: boolean | 'varies';
}

const PATTERNS: readonly RegExp[] = [
  // super(message, { code: 'x', retryable: … }) — group 3 is the rest of the object
  /code:\s*'([a-z][a-z0-9_]*)'()([^}]*)\}/g,
  // ProviderError subclasses: super(message, 'x', true, options)
  /super\(\s*[\w.]+,\s*'([a-z][a-z0-9_]*)',\s*(true|false)/g,
  // InvalidRequestError subclasses: super(message, options, 'x') and the default `code = 'x'`
  /super\([^;]*?,\s*'([a-z][a-z0-9_]*)'\)/g,
  /\bcode\s*=\s*'([a-z][a-z0-9_]*)'/g,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('__'))
    .map((f) => join(dir, f));
}

/**
 * Every error `code` the packages can produce: string literals given as a
 * code inside an error class (a class that extends another), in every
 * package's `src/`. Test files and fixtures are skipped.
 */
export function collectErrorCodes(): FoundCode[] {
  const found = new Map<string, { classes: Set<string>; files: Set<string>; retry: Set<string> }>();
  const packagesDir = join(repoRoot, 'packages');
  for (const pkg of readdirSync(packagesDir).sort()) {
    const src = join(packagesDir, pkg, 'src');
    let files: string[];
    try {
      files = sourceFiles(src);
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // Split at class declarations; only codes inside an error class count.
      const parts = text.split(/(?=\bexport\s+(?:abstract\s+)?class\s)|(?=^class\s)/m);
      // Flags per class in this file, so a subclass passing only a code inherits its parent's.
      const flagOf = new Map<string, string>();
      for (const part of parts) {
        const head = /class\s+(\w+)\s+extends\s+(\w+)/.exec(part);
        if (!head || !/Error$/.test(head[1]!)) continue;
        for (const pattern of PATTERNS) {
          for (const m of part.matchAll(pattern)) {
            const code = m[1]!;
            const entry = found.get(code) ?? {
              classes: new Set(),
              files: new Set(),
              retry: new Set(),
            };
            entry.classes.add(head[1]!);
            entry.files.add(relative(repoRoot, file));
            if (m[2]) entry.retry.add(m[2]);
            else if (m[3] !== undefined) {
              // An object literal: a literal flag, an expression (varies), or none (false).
              const flag = /retryable:\s*([^,}\n]+)/.exec(m[3])?.[1]?.trim();
              entry.retry.add(
                flag === undefined
                  ? 'false'
                  : flag === 'true' || flag === 'false'
                    ? flag
                    : 'varies',
              );
            } else {
              const own = /retryable:\s*(true|false)\b/.exec(part)?.[1];
              entry.retry.add(own ?? flagOf.get(head[2]!) ?? 'false');
            }
            flagOf.set(head[1]!, [...entry.retry].at(-1)!);
            found.set(code, entry);
          }
        }
      }
    }
  }
  return [...found]
    .map(([code, e]) => ({
      code,
      classes: [...e.classes].sort(),
      files: [...e.files].sort(),
      retryable:
        e.retry.size === 1 && !e.retry.has('varies') ? e.retry.has('true') : ('varies' as const),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

const DISPOSITION_WORDS = {
  retry: 'retry the same model (backoff), then fall back',
  fallback: 'next model',
  stop: 'stop; the error is the answer',
} as const;

/** Refusals the engine's own gates give before a call (breaker, rate limits, budgets). */
const REFUSALS = new Set(['circuit_open', 'rate_limit_exceeded', 'budget_exceeded']);

/**
 * What the engine does after an attempt fails with this code, asked of the
 * engine's own `dispositionOf` — for codes a model call can fail with (those
 * of the provider error classes, cancellation, unsupported features). Other
 * codes are not attempt failures and get no disposition.
 */
function engineDisposition(found: FoundCode): string {
  const { code, retryable } = found;
  if (REFUSALS.has(code)) return 'refused before the call: next model';
  const fromCall =
    found.files.some((f) => f.endsWith('errors/provider-errors.ts')) ||
    found.classes.some((c) => c.startsWith('ModelLoading') || c.startsWith('ColdStart'));
  if (!fromCall) return '—';
  const plain = dispositionOf(
    new OrchestratorError('docs', { code, retryable: retryable === true }),
  );
  const billed = Object.assign(new OrchestratorError('docs', { code, retryable: true }), {
    possiblyBilled: true,
  });
  const afterSend = dispositionOf(billed);
  if ((code === 'timeout' || code === 'network_error') && afterSend !== plain) {
    return `${DISPOSITION_WORDS[plain]}; after the body was sent (\`possiblyBilled\`): ${DISPOSITION_WORDS[afterSend]}`;
  }
  return DISPOSITION_WORDS[plain];
}

export async function generateErrorCodes(): Promise<{ codes: number; undocumented: string[] }> {
  const codes = collectErrorCodes();
  const gateway = gatewayErrorTable(GATEWAY_CODE_NOTES);
  const undocumented = [
    ...codes.filter((c) => !ERROR_CODE_NOTES[c.code]).map((c) => c.code),
    ...gateway.undocumented.map((c) => `gateway:${c}`),
  ];
  const rows = codes.map((c) => {
    const retry = c.retryable === 'varies' ? 'depends' : c.retryable ? 'yes' : 'no';
    const note = ERROR_CODE_NOTES[c.code] ?? `Raised by ${c.classes.join(', ')}.`;
    const where = c.files.map((f) => `\`${f}\``).join('<br>');
    return `| \`${c.code}\` | ${c.classes.map((n) => `\`${n}\``).join(', ')} | ${retry} | ${engineDisposition(c)} | ${note.replace(/\|/g, '\\|')} | ${where} |`;
  });
  const text = `# Error codes

<!-- Generated by apps/docs/scripts/generate-error-codes.ts. Do not edit. -->

Every error the packages throw extends \`OrchestratorError\` and carries a
stable \`code\`, a \`retryable\` flag, and \`isInstance\` that works across
duplicated installs. This table is generated at build time by scanning every
package's \`src/\` for the codes its error classes set, so a new code appears
here as soon as it is in the code. The **engine** column is what the
orchestrator does when an attempt fails with that code, asked of the
engine's own \`dispositionOf\`; “—” marks codes that are not the failure of a
model call (configuration, registry and storage errors, and the final
\`all_models_failed\`).

Codes are for machines; match on them (or on \`XError.isInstance(e)\`), never
on messages. The gateway answers with its own codes, in the
[second table](#gateway-http-errors); the envelope each API dialect uses is
on [The gateway](./index.md#errors).

## Library errors

| code | class | retryable | engine | meaning | defined in |
|---|---|---|---|---|---|
${rows.join('\n')}

The \`retryable\` column is the flag on the error; “depends” means the class
sets it per case (for example \`rate_limit_exceeded\` is retryable for a
model’s limit, where another model can serve at once, and not for a user’s).

## Gateway HTTP errors

What \`@orchestrator/server\` answers with, collected from every
\`new ApiError(status, code, …)\` in its sources. Library errors that reach
the gateway are mapped to these (for example a provider's \`rate_limited\`
becomes \`upstream_rate_limited\`, 429). A library code without a mapping of
its own passes through unchanged: 400 for \`unsupported_feature\`, 503 for
\`budget_unavailable\` and \`invalid_response\`, 502 for other provider
errors, 500 for anything else. An
oversized request head is refused by Node's HTTP parser with 431 before
any route runs.

${gateway.table}
`;
  await writeFile(join(docsRoot, 'gateway', 'error-codes.md'), text);
  return { codes: codes.length, undocumented };
}
