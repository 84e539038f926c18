/**
 * The reconciler's private bookkeeping: what a pass must remember for the next one (a Lambda keeps no
 * memory) and a user has no reason to read. It lives in the stack's record beside `status`, is written
 * with it (and fenced by the lease like it), and is never shown by `status` or GET /stack-status.
 */
import type { ObservationSnapshot } from '../engine/observation-snapshot';
import type { RetryState } from '../engine/types';
import type { ShiftState } from '../traffic/shift';
import type { WrittenDnsName } from '../resources/written-dns-names';
import type { ZoneIds } from '../resources/availability-zones';
import type { FailedRollout } from '../resources/ecs-service';

/** A terminal error of a pass: nothing is retried until the spec's generation moves past `generation`. */
export interface TerminalState {
  generation: number;
  messages: string[];
}

export interface Bookkeeping {
  /** Where the traffic engine left the shift (the weight asked for, since when it is in effect). */
  shift?: ShiftState;
  /** Route 53 changes still PENDING, by record key: their ids can be remembered, not found by tag. */
  pendingChanges: Record<string, string>;
  /** Backoff of each step that failed with a retryable error, by step id. */
  retries: Record<string, RetryState>;
  terminal?: TerminalState;
  /** The last full observation of a settled stack, which a steady pass may confirm instead of repeating. */
  observationSnapshot?: ObservationSnapshot;
  /**
   * DNS names the stack wrote records at (records can't be tagged, so they are remembered): remembered
   * before the first write at a name, forgotten once nothing of the stack's is left there.
   */
  dnsNames?: WrittenDnsName[];
  /**
   * The Availability Zone id of each subnet (`{ a: 'apne1-az4', b: 'apne1-az1' }`), chosen once and kept,
   * also while the Fargate tier does not exist, so that the subnets never move (resources/availability-zones.ts).
   */
  zones?: ZoneIds;
  /** The task definition whose rollout ECS failed, while the spec still wants it (resources/failed-rollout.ts). */
  failedRollout?: FailedRollout;
}

export const emptyBookkeeping = (): Bookkeeping => ({ pendingChanges: {}, retries: {} });

/** The status fields that held the bookkeeping before it had its own part of the record. */
export const LEGACY_STATUS_FIELDS = [
  'shift',
  'pendingChanges',
  'retries',
  'terminal',
  'observationSnapshot',
] as const;
