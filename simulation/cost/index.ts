/** The simulated account's cost meter (docs/aws-facts.md prices): running total and per-minute spend, by tier. */
export { costTotal, costByMinute, type StackUsage } from './meter';
export { lambdaMinuteCost, albMinuteCost, taskMinuteCost } from './prices';
export type { CostSplit, MinuteCost } from './types';
