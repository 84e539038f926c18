/**
 * What a stack's samples say, minute by minute, for auto mode's rules: the request rate of each minute
 * (never a gap read as zero), runs above or below a threshold, windows, the recent minutes, the mean
 * Lambda duration. Minutes at or after the decision's minute are still filling up and are left out.
 */
import type { MinuteSample } from './metrics';
import { missingCounts, requestRate, type TrafficCarriers } from './rate';
import type { RatePoint } from './trend';

/** CloudWatch publishes a minute a little late: the newest minute with data may be this old. */
export const RECENT_MINUTES = 3;
/** The mean Lambda duration is taken over this many minutes. */
export const DURATION_WINDOW_MINUTES = 15;

/** What the samples say, minute by minute, for the rules. */
export class Observed {
  private readonly byMinute = new Map<number, MinuteSample>();
  private readonly carriersAt: (minute: number) => TrafficCarriers;

  /** `carriers`: the tiers that carried traffic, the same for every minute or minute by minute (rate.ts). */
  constructor(
    samples: readonly MinuteSample[],
    readonly nowMinute: number,
    carriers: TrafficCarriers | ((minute: number) => TrafficCarriers),
  ) {
    for (const sample of samples) if (sample.minute < nowMinute) this.byMinute.set(sample.minute, sample);
    this.carriersAt = typeof carriers === 'function' ? carriers : () => carriers;
  }

  rate(minute: number): number | undefined {
    return requestRate(this.byMinute.get(minute), this.carriersAt(minute));
  }

  /**
   * Why no recent minute has a rate, for the reason: nothing from CloudWatch at all (for a stack being
   * created, `created`: a new tier reports its first minutes late), or the counts of the tiers carrying
   * traffic that are missing.
   */
  whyNoRecentRate(created: boolean): string {
    const missing = new Set<string>();
    let sampled = false;
    for (let m = this.nowMinute - RECENT_MINUTES; m < this.nowMinute; m++) {
      const sample = this.byMinute.get(m);
      if (sample) sampled = true;
      for (const count of missingCounts(sample, this.carriersAt(m))) missing.add(count);
    }
    if (!sampled) {
      return this.byMinute.size === 0 && created
        ? 'CloudWatch has no datapoint for the stack yet (a tier reports its first minute 2–3 min after it serves it)'
        : 'CloudWatch has no datapoint for the stack in these minutes';
    }
    const [first, second] = [...missing];
    return second === undefined
      ? `${first} missing while Route 53 sends that tier traffic`
      : `neither ${first} nor ${second} reported`;
  }

  /** The newest minute with a known rate, if it is recent. */
  newestRateMinute(): number | undefined {
    for (let m = this.nowMinute - 1; m >= this.nowMinute - RECENT_MINUTES; m--) {
      if (this.rate(m) !== undefined) return m;
    }
    return undefined;
  }

  /** Rates of the consecutive minutes ending at `end` that hold `test`, newest first; a gap ends the run. */
  runEndingAt(end: number, test: (rps: number) => boolean): number[] {
    const run: number[] = [];
    for (let m = end; ; m--) {
      const rps = this.rate(m);
      if (rps === undefined || !test(rps)) return run;
      run.push(rps);
    }
  }

  /** The known rates of the `length` minutes ending at `end`, oldest first (gaps left out, not zeros). */
  window(end: number, length: number): number[] {
    const rates: number[] = [];
    for (let m = end - length + 1; m <= end; m++) {
      const rps = this.rate(m);
      if (rps !== undefined) rates.push(rps);
    }
    return rates;
  }

  /** The minutes from `from` to `to` with a known rate, oldest first. */
  points(from: number, to: number): RatePoint[] {
    const points: RatePoint[] = [];
    for (let m = from; m <= to; m++) {
      const rps = this.rate(m);
      if (rps !== undefined) points.push({ minute: m, rps });
    }
    return points;
  }

  recent(): MinuteSample[] {
    const out: MinuteSample[] = [];
    for (let m = this.nowMinute - RECENT_MINUTES; m < this.nowMinute; m++) {
      const sample = this.byMinute.get(m);
      if (sample) out.push(sample);
    }
    return out;
  }

  meanDurationMs(): number | undefined {
    const durations: number[] = [];
    for (let m = this.nowMinute - DURATION_WINDOW_MINUTES; m < this.nowMinute; m++) {
      const d = this.byMinute.get(m)?.lambdaDurationMs;
      if (d !== undefined && d > 0) durations.push(d);
    }
    return durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : undefined;
  }
}
