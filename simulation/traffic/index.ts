/**
 * The traffic model of the simulated account: a trace (or a constant rate) per stack, split between the
 * tiers by the DNS answers resolvers hold, served within Lambda's concurrency and the healthy tasks'
 * capacity, published as CloudWatch metrics and logged per minute with its cost.
 */
export { loadTrace, TraceFormatError } from './trace';
export { setTraffic, clearTraffic, setStackCapacity, trafficLog, type SetTrafficOptions } from './config';
export { attachTrafficModel } from './model';
export { loadBalancerDimension, targetGroupDimension } from './metrics';
export type { Trace, TraceRow, MinuteLogEntry } from './types';
export { DEFAULT_CAPACITY_PER_TASK } from './types';
