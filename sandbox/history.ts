/**
 * The phase of the demo stack minute by minute. The record keeps only the current phase (and a bounded
 * list of events), so the chart's phase band needs its own memory; it is saved beside the simulated
 * account (`.lambdaflex/sandbox.json`) so that the next `npm start` shows the past too.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StackEvent } from '../reconciler/state/types';

/** A day of simulated minutes: enough for any chart window, small enough to save every few seconds. */
export const MAX_PHASE_MINUTES = 1440;

export interface PhaseSample {
  minute: number;
  /** Absent: from this minute on the phase is not known (minutes the sandbox did not watch). */
  phase?: string;
}

/** The reconciler's PhaseChanged message: "<before> → <after>: <why>" (reconciler/pass/events.ts). */
const PHASE_CHANGE = /^\S+ → (\w+):/;

interface SavedHistory {
  format: 'lambdaflex-sandbox/1';
  phases: PhaseSample[];
}

export class PhaseHistory {
  private constructor(private readonly samples: PhaseSample[]) {}

  static empty(): PhaseHistory {
    return new PhaseHistory([]);
  }

  /** The history saved in `file`, or undefined when there is none (a first run). */
  static load(file: string): PhaseHistory | undefined {
    if (!existsSync(file)) return undefined;
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedHistory>;
    if (saved.format !== 'lambdaflex-sandbox/1' || !Array.isArray(saved.phases)) {
      throw new Error(`reading the sandbox history (${file}): not a lambdaflex-sandbox/1 file`);
    }
    return new PhaseHistory(saved.phases.slice(-MAX_PHASE_MINUTES));
  }

  /** Records the phase seen in `minute`; a later sample of the same minute wins. */
  record(minute: number, phase: string): void {
    const last = this.samples.at(-1);
    if (last && last.minute === minute) last.phase = phase;
    else if (last && last.minute > minute) return;
    else this.samples.push({ minute, phase });
    if (this.samples.length > MAX_PHASE_MINUTES)
      this.samples.splice(0, this.samples.length - MAX_PHASE_MINUTES);
  }

  /** The last minute sampled; undefined before the first sample. */
  lastMinute(): number | undefined {
    return this.samples.at(-1)?.minute;
  }

  /**
   * The minutes after `after` (the last one watched) up to `until`, which the sandbox did not watch: it was
   * stopped, and `--local` commands may have run passes on the simulated clock meanwhile. Within a running
   * sandbox a phase can change only at its own passes, so a phase carries over the minutes between two
   * samples; across a stop it cannot. The record's events (`undefined`: the record is gone) tell when its
   * phase changed; they cover the whole stretch only when they reach back to `after` (events are trimmed,
   * and a stack deleted and made again has a new record). Where they do not, the phase is not known.
   */
  recordUnwatched(
    after: number,
    until: number,
    events: readonly StackEvent[] | undefined,
    minuteOf: (at: number) => number,
  ): void {
    if (until <= after) return;
    const first = events?.[0];
    if (first === undefined || minuteOf(first.at) > after) this.samples.push({ minute: after + 1 });
    for (const event of events ?? []) {
      const minute = minuteOf(event.at);
      const phase = event.reason === 'PhaseChanged' ? PHASE_CHANGE.exec(event.message)?.[1] : undefined;
      // Passes run in the minute last watched too, after its sample: the latest phase of a minute wins.
      if (phase !== undefined && minute >= after && minute <= until) this.record(minute, phase);
    }
  }

  /** The phase of each minute from `from` on, carrying the last one seen over minutes without a sample. */
  phasesFrom(from: number, to: number): Map<number, string> {
    const out = new Map<number, string>();
    let current: string | undefined;
    let i = 0;
    for (; i < this.samples.length && this.samples[i]!.minute < from; i++) current = this.samples[i]!.phase;
    for (let minute = from; minute <= to; minute++) {
      while (i < this.samples.length && this.samples[i]!.minute <= minute) current = this.samples[i++]!.phase;
      if (current !== undefined) out.set(minute, current);
    }
    return out;
  }

  save(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    const saved: SavedHistory = { format: 'lambdaflex-sandbox/1', phases: this.samples };
    // Write then rename, as the simulated account does: Ctrl-C mid-write must not lose the history.
    const temporary = `${file}.tmp-${process.pid}`;
    writeFileSync(temporary, JSON.stringify(saved));
    renameSync(temporary, file);
  }
}
