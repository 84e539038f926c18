/**
 * The lease of one pass, kept while the pass runs (safety rule 8: no mutating call without a lease known
 * to be held).
 *
 * The keeper knows until when the lease is held from its own side: the time read just before the
 * acquire or renewal was sent, plus the lease's length. The table sets its expiry from a later instant,
 * so the keeper's view never outlives the table's. A heartbeat renews the lease well inside its length,
 * driven by the injected clock (so tests move it, and never wait); it runs before AWS calls rather than on
 * a timer, because a pass that makes no call has nothing to protect.
 *
 * That local judgement ("still held?", "time to renew?") is made on a monotonic clock (performance.now()
 * in production), never on the wall clock: a wall clock stepped back (NTP, a VM resumed after a pause)
 * would make a lease that ran out look held, and the worker would act after another one took the stack.
 * Only the expiry written in the table is wall-clock time, because other workers compare it with theirs. A mutating call is let through only
 * while the lease is known held for longer than one call can take (the clients' request timeouts and
 * retries, reconciler/aws/clients.ts): a call that started in time also ends in time.
 *
 * A renewal the table refuses means another reconciler may have the stack: the lease is lost, and every
 * later mutating call is refused with LeaseLostError. A renewal that fails (throttled, timed out) is not a
 * refusal: the lease stays held as far as it is known, and the next call tries again.
 */
import { MAX_CALL_MS } from './aws/clients';
import type { LeaseFence } from './aws/lease-fence';
import { DEFAULT_LEASE_TTL_MS, LeaseLostError, type StateStore } from './state/types';

export interface LeaseKeeperOptions {
  store: StateStore;
  stack: string;
  holder: string;
  /**
   * A clock that never steps back (performance.now() in production, the simulated clock in tests): the
   * lease's length and heartbeat are measured on it, from the instant each acquire or renewal was sent.
   */
  monotonic: () => number;
  ttlMs?: number;
  /** How often the lease is renewed; a quarter of its length by default. */
  heartbeatMs?: number;
  /** The longest one AWS call can take, retries included (MAX_CALL_MS of the clients). */
  callBoundMs?: number;
}

/** After a renewal that failed (not refused), the next try waits this long (or the heartbeat, if shorter). */
const RENEWAL_RETRY_MS = 5_000;

export class LeaseKeeper implements LeaseFence {
  readonly ttlMs: number;
  readonly heartbeatMs: number;
  readonly callBoundMs: number;
  /** Until when the lease is known held, on the monotonic clock; -Infinity before it was taken. */
  private heldUntil = Number.NEGATIVE_INFINITY;
  private nextRenewalAt = Number.POSITIVE_INFINITY;
  private lostBecause: string | undefined;
  private renewing: Promise<void> | undefined;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.heartbeatMs = options.heartbeatMs ?? Math.floor(this.ttlMs / 4);
    this.callBoundMs = options.callBoundMs ?? MAX_CALL_MS;
    if (this.heartbeatMs + this.callBoundMs >= this.ttlMs) {
      throw new Error(
        `lease of ${this.ttlMs} ms too short: renewed every ${this.heartbeatMs} ms, one call may take ${this.callBoundMs} ms`,
      );
    }
  }

  /** Takes the lease; false when another reconciler holds it. */
  async acquire(): Promise<boolean> {
    const { store, stack, holder, monotonic } = this.options;
    const at = monotonic();
    if (!(await store.acquireLease(stack, holder, this.ttlMs))) return false;
    this.held(at);
    return true;
  }

  /** Whether the lease was lost (a renewal refused, or it ran out before one). */
  get lost(): string | undefined {
    return this.lostBecause;
  }

  /** Renews the lease when a heartbeat is due. Never throws: what it learns is kept for `beforeCall`. */
  async heartbeat(): Promise<void> {
    if (this.lostBecause !== undefined || this.options.monotonic() < this.nextRenewalAt) return;
    this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    await this.renewing;
  }

  /** The fence: runs the heartbeat, then refuses a mutating call unless the lease holds past its end. */
  async beforeCall(operation: string, mutating: boolean): Promise<void> {
    await this.heartbeat();
    if (!mutating) return;
    // Calls made meanwhile by the other steps running at once can use up the margin between two
    // heartbeats: a lease still held is renewed now rather than the call refused.
    if (this.lostBecause === undefined && this.heldUntil - this.options.monotonic() <= this.callBoundMs) {
      this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
      await this.renewing;
    }
    // Read after the heartbeat and right before the call: nothing else runs between this and sending it.
    const left = this.heldUntil - this.options.monotonic();
    const why =
      this.lostBecause ??
      (left <= this.callBoundMs
        ? left <= 0
          ? 'it ran out before it could be renewed'
          : `it ends in ${Math.ceil(left / 1000)} s, and one call may take ${Math.ceil(this.callBoundMs / 1000)} s`
        : undefined);
    if (why !== undefined) {
      throw new LeaseLostError(this.options.stack, this.options.holder, {
        action: `calling ${operation}`,
        why,
      });
    }
  }

  async release(): Promise<void> {
    await this.options.store.releaseLease(this.options.stack, this.options.holder);
  }

  private held(at: number): void {
    this.heldUntil = at + this.ttlMs;
    this.nextRenewalAt = at + this.heartbeatMs;
  }

  private async renew(): Promise<void> {
    const { store, stack, holder, monotonic } = this.options;
    const at = monotonic();
    if (at > this.heldUntil) {
      // The table would refuse it too (an expired lease is not renewed): someone may have taken it.
      this.lostBecause = 'it ran out before it could be renewed';
      return;
    }
    try {
      if (await store.renewLease(stack, holder, this.ttlMs)) this.held(at);
      else this.lostBecause = 'renewing it was refused: it expired or another reconciler took it';
    } catch {
      // Unknown is not absent: a renewal that failed says nothing about the lease; it stays as known.
      this.nextRenewalAt = at + Math.min(RENEWAL_RETRY_MS, this.heartbeatMs);
    }
  }
}
