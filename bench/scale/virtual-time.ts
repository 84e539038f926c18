/**
 * Virtual time for the scale benchmark: every `sleep` is a wake-up on the simulated account's clock, and
 * `run` moves the clock from wake-up to wake-up once everything that can run has run (the simulated AWS
 * and the in-memory store answer without real I/O, so "everything has run" is "the microtask queue is
 * empty"). Thousands of workers, pollers and schedules then run concurrently, in order, on one thread,
 * without waiting in real time.
 */
import type { SimAccount } from '../../aws-sim';

interface WakeUp {
  at: number;
  seq: number;
  resolve: () => void;
}

/** A binary min-heap of wake-ups by time, then by order of asking. */
class WakeUps {
  private readonly items: WakeUp[] = [];

  get size(): number {
    return this.items.length;
  }

  private before(a: WakeUp, b: WakeUp): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  push(item: WakeUp): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  peek(): WakeUp | undefined {
    return this.items[0];
  }

  pop(): WakeUp | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class VirtualTime {
  private readonly wakeUps = new WakeUps();
  private seq = 0;

  constructor(private readonly account: SimAccount) {}

  now(): number {
    return this.account.now();
  }

  /** Resolves once the simulated clock has moved `ms` on. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) =>
      this.wakeUps.push({ at: this.now() + Math.max(0, ms), seq: this.seq++, resolve }),
    );
  }

  /**
   * Runs everything until the clock reaches `until` (then stops there), or until `done()` holds after
   * a wake-up. Returns whether `done()` held.
   */
  async run(until: number, done?: () => boolean): Promise<boolean> {
    for (;;) {
      await turn();
      await turn();
      if (done?.()) return true;
      const next = this.wakeUps.peek();
      if (!next || next.at > until) {
        if (until > this.now() && Number.isFinite(until)) this.account.advance(until - this.now());
        return false;
      }
      if (next.at > this.now()) this.account.advance(next.at - this.now());
      // Everything due at this instant wakes together.
      while (this.wakeUps.peek() && this.wakeUps.peek()!.at <= this.now()) this.wakeUps.pop()!.resolve();
    }
  }
}
