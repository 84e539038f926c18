/**
 * Units of time, defined once: the simulated account's minute tick, CloudWatch's one-minute periods, the
 * deciders' minutes and the cost simulation's all cut time the same way.
 */
export const MINUTE_MS = 60_000;
export const SECONDS_PER_MINUTE = 60;
export const MINUTES_PER_HOUR = 60;
