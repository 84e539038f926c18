/**
 * What auto mode learns about a stack's traffic across passes (a Lambda remembers nothing, and the metrics
 * window is an hour): every minute with a known rate is folded in once, in order, to keep
 * - the last bursts above the scale-up threshold: when each began, how long it lasted, and what Lambda
 *   charged in it beyond what Fargate would have (the learned distribution of burst lengths and the
 *   bursts' rhythm, burst-rental.ts and burst-rhythm.ts);
 * - the rate between bursts (a slow average of the minutes below the threshold);
 * - how far the level wanders a few minutes ahead, as a share of it (`levelDrift`, a slow average of what
 *   capacity-ahead.ts measures on each hour of metrics: one hour's measure is often half or twice the
 *   stack's own);
 * - the run of minutes below the break-even and what Fargate charged in it beyond Lambda, and the run above
 *   it and what Lambda charged in it beyond Fargate (the ski-rental between the break-even and a
 *   threshold, both ways).
 *
 * Pure and small (a few dozen numbers), kept in the stack's private bookkeeping between passes. A stored
 * ledger may have been edited by hand: `readLedger` keeps only what is well formed.
 */
import { fargateMinuteCost, lambdaMinuteCost } from './tier-cost';
import type { CostSpec } from './ski-rental';

export interface BurstRecord {
  /** Its first minute above the threshold (whole minutes since the epoch). */
  start: number;
  /** Minutes from its first to its last minute above the threshold. */
  minutes: number;
  /** USD Lambda charged in its minutes beyond what Fargate would have (each minute at least zero). */
  extra: number;
  /**
   * The part of `extra` charged in its first `FoldContext.headMinutes` minutes: what Lambda charges for a
   * burst like it before a scale-up could serve it. Absent in ledgers written before it was kept.
   */
  head?: number;
  /** Its highest minute's rate (rps): the tasks to have ready for one like it. Absent in older ledgers. */
  peak?: number;
}

/** A burst still going (or not yet known to be over). */
export interface OpenBurst {
  start: number;
  lastAbove: number;
  extra: number;
  /** As BurstRecord's. */
  head?: number;
  peak?: number;
}

export interface AutoLedger {
  /**
   * The first minute folded in: since when the stack's traffic has been watched (absent in ledgers
   * written before it was kept).
   */
  since?: number;
  /** The newest minute folded in. */
  through?: number;
  open?: OpenBurst;
  /** Closed bursts, newest last, at most MAX_BURSTS. */
  bursts: BurstRecord[];
  /** A slow average of the rate in the minutes at or below the threshold. */
  quietRps?: number;
  /**
   * A slow average of the level's measured forecast error (capacity-ahead.ts `wanderingDrift`) as a share
   * of the level: how far this stack's rate strays in the minutes a task takes to serve.
   */
  levelDrift?: number;
  /** The run of minutes where Lambda was the cheaper tier, and what Fargate charged in it beyond Lambda. */
  cheaperOnLambda?: { since: number; extra: number };
  /**
   * The run of minutes where Fargate was the cheaper tier, and what Lambda charged beyond Fargate in its
   * minutes at or below the threshold.
   */
  cheaperOnFargate?: { since: number; extra: number };
}

/** Bursts remembered: enough for a distribution, few enough for the record. */
export const MAX_BURSTS = 16;
/** A burst is over after this many minutes in a row at or below the threshold (one noisy dip is not an end). */
export const BURST_END_MINUTES = 2;
/** Weight of a new quiet minute in `quietRps`. */
const QUIET_WEIGHT = 0.1;
/**
 * Weight of a new measure in `levelDrift`: each pass measures it over the last 45 minutes, so an hour's
 * passes share most of their minutes; a weight of 1/60 averages over the last few hours.
 */
export const DRIFT_WEIGHT = 1 / 60;

/** `levelDrift` with a new measure (a share of the level) folded in. */
export function foldDrift(ledger: AutoLedger, share: number): AutoLedger {
  if (!Number.isFinite(share) || share < 0) return ledger;
  const before = ledger.levelDrift;
  return { ...ledger, levelDrift: before === undefined ? share : before + DRIFT_WEIGHT * (share - before) };
}

export const emptyLedger = (): AutoLedger => ({ bursts: [] });

export interface FoldContext {
  /** The scale-up threshold (rps) that makes a minute part of a burst. */
  threshold: number;
  /** Bursts shorter than this are not remembered: no scale-up rule acts on them (scaleUp.forMinutes). */
  minBurstMinutes: number;
  durationMs: number;
  spec: CostSpec;
  /**
   * The minutes from a burst's start to a Fargate tier serving it, when the scale-up starts as soon as a
   * rule may act (scaleUp.forMinutes + the scale-up's minutes): a burst's `head` is its extra cost in them.
   */
  headMinutes: number;
}

/** Lambda's cost in a minute at `rps` beyond Fargate's (negative where Fargate is dearer). */
function lambdaOverFargate(rps: number, ctx: FoldContext): number {
  return (
    lambdaMinuteCost(rps, ctx.durationMs, ctx.spec.lambda.memoryMb) - fargateMinuteCost(rps, ctx.spec.fargate)
  );
}

function closeBurst(ledger: AutoLedger, open: OpenBurst, ctx: FoldContext): BurstRecord[] {
  const minutes = open.lastAbove - open.start + 1;
  if (minutes < ctx.minBurstMinutes) return ledger.bursts;
  const head = open.head === undefined ? {} : { head: open.head };
  const peak = open.peak === undefined ? {} : { peak: open.peak };
  return [...ledger.bursts, { start: open.start, minutes, extra: open.extra, ...head, ...peak }].slice(
    -MAX_BURSTS,
  );
}

/**
 * The ledger with the known minutes after `ledger.through` folded in, oldest first. Minutes without data
 * are skipped (never zero): they neither end nor lengthen a burst.
 *
 * @example
 * foldMinutes(emptyLedger(), [{ minute: 10, rps: 200 }, …], { threshold: 7, minBurstMinutes: 3, durationMs: 100, spec });
 */
export function foldMinutes(
  ledger: AutoLedger,
  minutes: readonly { minute: number; rps: number }[],
  ctx: FoldContext,
): AutoLedger {
  let next: AutoLedger = { ...ledger, bursts: [...ledger.bursts] };
  for (const { minute, rps } of [...minutes].sort((a, b) => a.minute - b.minute)) {
    if (next.through !== undefined && minute <= next.through) continue;
    next = foldMinute(next, minute, rps, ctx);
  }
  return next;
}

function foldMinute(ledger: AutoLedger, minute: number, rps: number, ctx: FoldContext): AutoLedger {
  const { open: wasOpen, cheaperOnLambda: _lambdaRun, cheaperOnFargate: _fargateRun, ...rest } = ledger;
  const next: AutoLedger = { ...rest, since: ledger.since ?? minute, through: minute };
  const over = lambdaOverFargate(rps, ctx);

  // The run where one tier is the cheaper: the other's surplus adds up; a minute the other way ends it.
  if (over < 0) {
    const run = ledger.cheaperOnLambda ?? { since: minute, extra: 0 };
    next.cheaperOnLambda = { since: run.since, extra: run.extra - over };
  } else if (over > 0) {
    // Only the minutes at or below the threshold add up here: above it, the scale-up rules weigh them
    // (and the learned bursts may hold them back).
    const run = ledger.cheaperOnFargate ?? { since: minute, extra: 0 };
    next.cheaperOnFargate = { since: run.since, extra: run.extra + (rps > ctx.threshold ? 0 : over) };
  }

  if (rps > ctx.threshold) {
    const open = wasOpen ?? { start: minute, lastAbove: minute, extra: 0, head: 0, peak: 0 };
    const surplus = Math.max(0, over);
    const inHead = minute - open.start < ctx.headMinutes;
    next.open = {
      start: open.start,
      lastAbove: minute,
      extra: open.extra + surplus,
      // An open burst stored before heads were kept has none: it is not guessed.
      ...(open.head === undefined ? {} : { head: open.head + (inHead ? surplus : 0) }),
      ...(open.peak === undefined ? {} : { peak: Math.max(open.peak, rps) }),
    };
    return next;
  }
  next.quietRps =
    ledger.quietRps === undefined ? rps : ledger.quietRps + QUIET_WEIGHT * (rps - ledger.quietRps);
  if (wasOpen) {
    if (minute - wasOpen.lastAbove >= BURST_END_MINUTES) next.bursts = closeBurst(ledger, wasOpen, ctx);
    else next.open = wasOpen;
  }
  return next;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isBurst(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    isNumber(value.start) &&
    isNumber(value.minutes) &&
    value.minutes > 0 &&
    isNumber(value.extra)
  );
}

/**
 * A well-formed head (a number from zero to the burst's extra cost) and peak (a rate), as optional fields.
 */
function headOf(value: Record<string, unknown>): { head?: number; peak?: number } {
  const { head, extra, peak } = value;
  return {
    ...(isNumber(head) && head >= 0 && isNumber(extra) && head <= extra ? { head } : {}),
    ...(isNumber(peak) && peak >= 0 ? { peak } : {}),
  };
}

function burstOf(value: Record<string, unknown>): BurstRecord {
  const { start, minutes, extra } = value as { start: number; minutes: number; extra: number };
  return { start, minutes, extra, ...headOf(value) };
}

/** The ledger as stored, or an empty one; anything malformed is dropped rather than trusted. */
export function readLedger(raw: unknown): AutoLedger {
  if (!isObject(raw)) return emptyLedger();
  const open = raw.open;
  const run = raw.cheaperOnLambda;
  const fargateRun = raw.cheaperOnFargate;
  return {
    ...(isNumber(raw.since) ? { since: raw.since } : {}),
    ...(isNumber(raw.through) ? { through: raw.through } : {}),
    ...(isObject(open) && isNumber(open.start) && isNumber(open.lastAbove) && isNumber(open.extra)
      ? { open: { start: open.start, lastAbove: open.lastAbove, extra: open.extra, ...headOf(open) } }
      : {}),
    bursts: Array.isArray(raw.bursts) ? raw.bursts.filter(isBurst).map(burstOf).slice(-MAX_BURSTS) : [],
    ...(isNumber(raw.quietRps) && raw.quietRps >= 0 ? { quietRps: raw.quietRps } : {}),
    ...(isNumber(raw.levelDrift) && raw.levelDrift >= 0 ? { levelDrift: raw.levelDrift } : {}),
    ...(isObject(run) && isNumber(run.since) && isNumber(run.extra)
      ? { cheaperOnLambda: { since: run.since, extra: run.extra } }
      : {}),
    ...(isObject(fargateRun) && isNumber(fargateRun.since) && isNumber(fargateRun.extra)
      ? { cheaperOnFargate: { since: fargateRun.since, extra: fargateRun.extra } }
      : {}),
  };
}
