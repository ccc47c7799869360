import {
  createSeededRandom,
  ModelRegistry,
  Orchestrator,
  UCBModelSelector,
} from '@orchestrator/core';

// The bandit behind the `learned` strategy, configured explicitly.
const learner = new UCBModelSelector({
  explorationFactor: 1, // 1 is UCB1-Tuned; lower exploits sooner
  minTrials: 2, // pulls every model gets before indices are compared
  confidenceLevel: 0.95, // of the intervals in statistics() and isSettled()
  discount: 1, // < 1 forgets old outcomes geometrically
  changeDetection: { window: 40, threshold: 5 }, // or false
  random: createSeededRandom(42), // tie-breaking among unexplored models
});

const orchestrator = new Orchestrator({
  registry: new ModelRegistry(),
  learner,
  routing: { defaultStrategy: 'learned' },
});

// Per request: a strategy, and weights for `balanced`.
const decision = orchestrator.route({
  messages: [{ role: 'user', content: 'Summarise this contract clause.' }],
  strategy: 'balanced',
  weights: { cost: 2, speed: 1, quality: 1 },
});
console.log(decision.reasoning, decision.confidence);

// What the bandit believes about a model.
const stats = learner.statistics('gpt-4o-mini');
console.log(stats.mean, stats.lower, stats.upper, stats.pulls, learner.changesDetected);
