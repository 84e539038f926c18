/**
 * The phase of the demo stack minute by minute. The record keeps only the current phase (and a bounded
 * list of events), so the chart's phase band needs its own memory; it is saved beside the simulated
 * account (`.lambdaflex/sandbox.json`) so that the next `npm start` shows the past too.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAX_EVENTS, type StackEvent, type StackRecord } from '../reconciler/state/types';

/** A day of simulated minutes: enough for any chart window, small enough to save every few seconds. */
export const MAX_PHASE_MINUTES = 1440;

export interface PhaseSample {
  minute: number;
  /** Absent: from this minute on the phase is not known (minutes the sandbox did not watch). */
  phase?: string;
}

/** The reconciler's PhaseChanged message: "<before> → <after>: <why>" (reconciler/pass/events.ts). */
const PHASE_CHANGE = /^\S+ → (\w+):/;

/** The stack's record as the sandbox last knew it, and the first minute of its life. */
interface StackLife {
  /** Absent for a record from before incarnations. */
  incarnation?: string;
  since: number;
}

interface SavedHistory {
  format: 'lambdaflex-sandbox/1';
  phases: PhaseSample[];
  life?: StackLife;
}

export class PhaseHistory {
  private constructor(
    private readonly samples: PhaseSample[],
    private life?: StackLife,
  ) {}

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
    const life = saved.life;
    const known = typeof life?.since === 'number' ? life : undefined;
    return new PhaseHistory(saved.phases.slice(-MAX_PHASE_MINUTES), known);
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

  /**
   * The first minute of the life of `record` (the stack as it is now; undefined once it is gone, and then
   * the last record's): the stack's costs are counted from there, so that a stack deleted and made again
   * does not count the old one's. Its first pass's PhaseChanged ("none → …") starts it: nothing of the
   * stack exists before it. Kept in the history, since the record's events are trimmed. A record no pass
   * has worked on yet starts `now`. Undefined when not known (a record never seen here whose events were
   * trimmed, or none seen at all): then every minute logged counts.
   */
  lifeStart(
    record: Pick<StackRecord, 'incarnation' | 'events'> | undefined,
    now: number,
    minuteOf: (at: number) => number,
  ): number | undefined {
    if (!record) return this.life?.since;
    if (this.life && this.life.incarnation === record.incarnation) return this.life.since;
    const created = record.events.find((e) => e.reason === 'PhaseChanged' && e.message.startsWith('none → '));
    const since =
      created !== undefined
        ? minuteOf(created.at)
        : record.events.length < MAX_EVENTS && !record.events.some((e) => e.reason === 'PhaseChanged')
          ? now
          : undefined;
    if (since === undefined) return undefined;
    this.life = { ...(record.incarnation !== undefined ? { incarnation: record.incarnation } : {}), since };
    return since;
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
    const saved: SavedHistory = {
      format: 'lambdaflex-sandbox/1',
      phases: this.samples,
      ...(this.life ? { life: this.life } : {}),
    };
    // Write then rename, as the simulated account does: Ctrl-C mid-write must not lose the history.
    const temporary = `${file}.tmp-${process.pid}`;
    writeFileSync(temporary, JSON.stringify(saved));
    renameSync(temporary, file);
  }
}
