/** One table the benchmarks printed: its `## title`, columns, rows and any lines of prose around it. */
export interface BenchSection {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly notes: readonly string[];
}

export interface BenchRun {
  /** The run's first line, e.g. `# Orchestrator benchmarks — node v20…, <date>`. */
  readonly header: string;
  readonly preamble: readonly string[];
  readonly sections: readonly BenchSection[];
}

/**
 * Parses what `bench/src/run-all.ts` prints (its harness's `printTable`):
 * a `# ` header line, then sections that start with `## title` and hold one
 * Markdown table (`| a | b |`, a `|---|` rule, rows) plus free lines.
 */
export function parseBenchOutput(text: string): BenchRun {
  let header = '';
  const preamble: string[] = [];
  const sections: { title: string; columns: string[]; rows: string[][]; notes: string[] }[] = [];
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const current = sections.at(-1);
    if (line.startsWith('## ')) {
      sections.push({ title: line.slice(3).trim(), columns: [], rows: [], notes: [] });
    } else if (line.startsWith('# ') && !header) {
      header = line.slice(2).trim();
    } else if (!current) {
      if (line.trim()) preamble.push(line.trim());
    } else if (line.startsWith('|')) {
      if (/^\|[\s|:-]+\|$/.test(line)) continue;
      if (current.columns.length === 0) current.columns = cells(line);
      else current.rows.push(cells(line));
    } else if (line.trim()) {
      current.notes.push(line.trim());
    }
  }
  return { header, preamble, sections };
}
