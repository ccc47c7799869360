// Sums the JSON reports vitest writes in CI (one per package) into one
// closing line, "N passed, N failed", so a run that executed no test shows.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const perPackage = [];
for (const group of ['packages', 'apps', 'tests', 'examples', 'bench']) {
  if (!existsSync(group)) continue;
  const dirs = group === 'examples' || group === 'bench' ? ['.'] : readdirSync(group);
  for (const dir of dirs) {
    const file = join(group, dir, '.test-results.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    perPackage.push(
      `${join(group, dir)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
  }
}
console.log(perPackage.join('\n'));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
