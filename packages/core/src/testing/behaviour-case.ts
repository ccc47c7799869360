/**
 * One behaviour case of a store contract: a name for the test runner and a
 * body that throws (node:assert) when the store breaks the contract. Run each
 * with the runner's `it`: `for (const c of cases) it(c.name, c.run)`.
 */
export interface BehaviourCase {
  readonly name: string;
  run(): Promise<void>;
}
