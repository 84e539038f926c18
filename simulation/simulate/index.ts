/** `lambdaflex simulate`: the reconciler over a traffic trace in a simulated account, against the yardsticks. */
export { simulateTrace, DEFAULT_MOVES, type SimulateOptions } from './run';
export { exampleSpec, withSimulatedDns, EXAMPLE_SPEC_FILE } from './spec';
export type { SimulationResult, TimelineEntry, PhaseTransition, BaselineResult, CostSplit } from './types';
