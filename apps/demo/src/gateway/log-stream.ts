/** The gateway's JSON log lines, turned into one readable line each for the terminal. */
export function createLogStream(print: (line: string) => void): { write(line: string): void } {
  const LEVELS: Readonly<Record<number, string>> = {
    10: 'TRACE',
    20: 'DEBUG',
    30: 'INFO',
    40: 'WARN',
    50: 'ERROR',
    60: 'FATAL',
  };
  return {
    write(line: string) {
      let entry: { level?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        print(line.trimEnd());
        return;
      }
      // The server redacts secrets before writing; this only reformats what it wrote.
      const level = LEVELS[entry.level ?? 30] ?? 'INFO';
      const extra = entry.err?.message ? ` (${entry.err.message})` : '';
      print(`[gateway] ${level} ${entry.msg ?? ''}${extra}`);
    },
  };
}
