/**
 * The reconciler's private bookkeeping: what a pass must remember for the next one (a Lambda keeps no
 * memory) and a user has no reason to read. It lives in the stack's record beside `status`, is written
 * with it (and fenced by the lease like it), and is never shown by `status` or GET /stack-status.
 */
import type { ObservationSnapshot } from '../engine/observation-snapshot';
import type { TransitionView } from '../engine/transition-view';
import type { RetryState } from '../engine/types';
import type { ShiftState } from '../traffic/shift';
import type { WrittenDnsName } from '../resources/route53/written-dns-names';
import type { ZoneIds } from '../resources/ec2/availability-zones';
import type { FailedRollout } from '../resources/ecs/service';
import type { AutoLedger } from '../decide/ledger';
import type { DesiredState } from '../../spec/types';

/** A terminal error of a pass: nothing is retried until the spec's generation moves past `generation`. */
export interface TerminalState {
  generation: number;
  messages: string[];
}

/**
 * A create about to be made (docs/ownership.md): written before the call, so that a pass that dies before
 * AWS's answer arrives leaves proof that the resource carrying `nonce` (as the tag `lambdaflex:nonce`, or
 * in its client token) is the stack's, and a reason to look for it before creating again.
 */
export interface CreateIntent {
  nonce: string;
  /** Epoch ms (AWS's clock) the intent was written. */
  at: number;
  /** Until when a pass looks for the resource before creating again (epoch ms). */
  until?: number;
  /**
   * AWS answered the create with an error that says nothing was made: not awaited, but the nonce is still
   * the stack's. Should the error have said more than it did (a read after the create failing), a
   * resource carrying the nonce alone is still recognised as the stack's (engine/ownership.ts).
   */
  refused?: true;
}

/** A resource proven the stack's: the one in use for its key. */
export interface OwnedResource {
  id: string;
  /** The nonce it was created with, when it carries one. */
  nonce?: string;
  /** What AWS gave it alone, where its id is a name (an IAM role's RoleId), as last seen. */
  uniqueId?: string;
  /** Epoch ms it was created or first proven: a resource not visible yet is waited for until then + the window. */
  since: number;
  /**
   * A pass has seen it (found and proven it): missing later, it is not "not visible yet" but gone, once a
   * second pass confirms it (engine/ownership.ts).
   */
  seen?: true;
  /** Epoch ms of the pass that first missed it after it was seen: the next pass that misses it too says gone. */
  missedAt?: number;
  /**
   * Epoch ms at which the stack sent its own delete of it (journaled before the call; an error answer
   * takes it back): missed after that (an ECS service drained, a pass died before the answer), it is gone
   * by the stack's own hand, not behind its back.
   */
  deleteSentAt?: number;
  /**
   * What a kind needs to find or delete it again once the spec no longer says where it is (a record's
   * zone and name after `dns` is removed); set by kinds that need it.
   */
  locator?: Record<string, string>;
}

/**
 * A resource the stack made and forgot because no finder showed it for its not-found window (missed by two
 * passes once seen, or never seen within the window): the pair it was recorded with. A finder may miss a
 * resource that exists (a stale or throttled read, a page lost), and one seen again with exactly this id
 * and this nonce is the stack's again (engine/ownership.ts); anything else carrying the nonce is a copy.
 */
export interface ForgottenResource {
  id: string;
  nonce: string;
  /** What AWS gave that resource alone, where its id is a name (`ObservedResource.uniqueId`). */
  uniqueId?: string;
  /** Epoch ms (AWS's clock) it was forgotten: the pair is kept for a bounded time from then. */
  at: number;
  /**
   * Epoch ms at which the stack sent its own delete of it (`OwnedResource.deleteSentAt`): forgotten once
   * gone. The Tagging API's index may list it for hours after (docs/aws-facts.md):
   * that listing holds nothing (engine/missed-but-listed.ts); the pair still takes it back, and deletes it
   * again, should a finder show it.
   */
  deleteSentAt?: number;
}

/**
 * The spec a pass acted on, and its generation: kept before the pass changes anything in AWS from it, so
 * that whatever exists of the stack was built from a kept spec. A stack whose deletion was asked for is
 * deleted from it, whatever the record's `spec` says since (pass/deletion-spec.ts).
 */
export interface ReconciledSpec {
  generation: number;
  spec: DesiredState;
}

/**
 * The bookkeeping's kept spec as stored, or undefined when it holds none with a generation: the one reader
 * of the shape (the item may have been edited by hand, so `spec` is whatever it holds, not yet validated).
 */
export function storedReconciledSpec(
  bookkeeping: Pick<Bookkeeping, 'reconciledSpec'>,
): { generation: number; spec: unknown } | undefined {
  const kept: unknown = bookkeeping.reconciledSpec;
  if (kept === null || typeof kept !== 'object') return undefined;
  const { generation, spec } = kept as { generation?: unknown; spec?: unknown };
  return typeof generation === 'number' && Number.isSafeInteger(generation)
    ? { generation, spec }
    : undefined;
}

export interface Bookkeeping {
  /**
   * The top-level fields of the spec the last pass acted on, each as a digest of its value
   * (pass/spec-fields.ts): the first pass on a new generation names the fields that changed. Not
   * derived from `reconciledSpec`: that is kept before the steps (persistBeforeApply), these after, so a
   * pass that dies between leaves the kept spec already the new generation's, and only these still say
   * what the generation before was.
   */
  specFields?: Record<string, string>;
  /**
   * The spec the stack was last reconciled with (`ReconciledSpec`): a deletion runs from it. A pass of a
   * stack being deleted never replaces it. Validated when read: the item may have been edited by hand.
   */
  reconciledSpec?: ReconciledSpec;
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
   * What the last pass of a stack between tiers saw of the resources it did not touch, which the next pass
   * may take instead of asking AWS again (engine/transition-view.ts).
   */
  transitionView?: TransitionView;
  /**
   * DNS names the stack wrote records at (records can't be tagged, so they are remembered): remembered
   * before the first write at a name, forgotten once nothing of the stack's is left there.
   */
  dnsNames?: WrittenDnsName[];
  /**
   * The Availability Zone id of each subnet (`{ a: 'apne1-az4', b: 'apne1-az1' }`), chosen once and kept,
   * also while the Fargate tier does not exist, so that the subnets never move (resources/ec2/availability-zones.ts).
   */
  zones?: ZoneIds;
  /** The task definition whose rollout ECS failed, while the spec still wants it (resources/ecs/failed-rollout.ts). */
  failedRollout?: FailedRollout;
  /**
   * Resources proven the stack's, by key. Absent on a record written before ownership was recorded: that
   * stack's tagged resources are adopted once (docs/ownership.md, "Stacks from before").
   */
  owned?: Record<string, OwnedResource>;
  /** Creates journaled and not yet seen, by key, oldest first. */
  intents?: Record<string, CreateIntent[]>;
  /**
   * By key, the ids of resources an update replaced and left beside the one in use (a task definition's
   * older revisions, ARNs), oldest first, until the stack retires them: what proves them the stack's, a
   * family being shared by anyone who registers into it with the same tags.
   */
  earlier?: Record<string, string[]>;
  /** By key, the resources forgotten after their not-found window, oldest first (a few, for a week). */
  forgotten?: Record<string, ForgottenResource[]>;
  /**
   * Set when the stack's work item went to the dead-letter queue (the reconciler kept failing on it,
   * reconciler/dispatch/worker.ts); dropped by the next pass that gets through.
   */
  deadLettered?: DeadLetterState;
  /** What auto mode learned of the stack's traffic: its last bursts, the quiet rate (decide/ledger.ts). */
  autoLedger?: AutoLedger;
}

/** Why and when a stack's work item was dead-lettered, for the dispatcher's retry rule (dispatch/due.ts). */
export interface DeadLetterState {
  /** The spec generation it failed on: an edit makes the stack due again at once. */
  generation: number;
  /** Epoch ms. */
  at: number;
  receiveCount: number;
  error: string;
}

export const emptyBookkeeping = (): Bookkeeping => ({
  pendingChanges: {},
  retries: {},
  owned: {},
  intents: {},
});

/** The status fields that held the bookkeeping before it had its own part of the record. */
export const LEGACY_STATUS_FIELDS = [
  'shift',
  'pendingChanges',
  'retries',
  'terminal',
  'observationSnapshot',
] as const;
