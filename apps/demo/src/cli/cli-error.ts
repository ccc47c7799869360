/** A failure the CLI reports in one line, with its exit code (2: bad usage, 1: anything else). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
