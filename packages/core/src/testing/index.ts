// `@orchestrator/core/testing`: the behaviour cases of core's store contracts,
// for anyone who implements a store (the Redis stores run them, as the memory
// ones do). Assertions are node:assert, so no test runner is imposed.
export type { BehaviourCase } from './behaviour-case.js';
export { budgetLedgerCases } from './budget-ledger-cases.js';
export { type CounterStoreCaseOptions, counterStoreCases } from './counter-store-cases.js';
export { expectFields, seededRandom } from './expect-fields.js';
