/**
 * The DynamoDB record of one stack (DESIGN.md "The record") and the state store's contract.
 * The store is the only code that reads or writes the table; the reconciler, the CLI and the service
 * all go through it.
 */
import type { DesiredState, SpecError, Tier } from '../../spec/types';

export type Phase = 'Pending' | 'Lambda' | 'ScalingUp' | 'Fargate' | 'ScalingDown' | 'Deleting' | 'Error';

/** Kubernetes-style condition: `type` such as `SpecValid`, `Ready`, `TrafficShifted`, `Throttled`. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  /** Epoch milliseconds. */
  lastTransitionTime: number;
}

export interface ResourceRef {
  kind: string;
  id: string;
  arn?: string;
  state?: string;
}

export interface StackEvent {
  /** Epoch milliseconds. */
  at: number;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Written only by the reconciler. Later issues add fields; unknown fields are kept as they are. */
export interface StackStatus {
  observedGeneration: number;
  phase: Phase;
  tier?: Tier;
  conditions: Condition[];
  resources: Record<string, ResourceRef>;
  lastPlan?: unknown;
  lastDecision?: { tier: Tier; reason: string; at: number };
  /** Where traffic goes, as Route 53 holds it (observed, not intended). */
  traffic?: { lambda: number; fargate: number };
  lastPass?: {
    at: number;
    durationMs: number;
    apiCalls: { total: number; mutating: number };
    requeueAfterMs?: number;
  };
  [extra: string]: unknown;
}

export interface Lease {
  holder: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface StackRecord {
  stack: string;
  /** As stored: normally a valid DesiredState, but a hand edit in the console can make it anything. */
  spec: DesiredState | Record<string, unknown>;
  generation: number;
  version: number;
  status?: StackStatus;
  lease?: Lease;
  /** Newest last, at most MAX_EVENTS. */
  events: StackEvent[];
  /** Set by `lambdaflex delete`: the reconciler tears the stack down, then removes the record. */
  deletionRequestedAt?: number;
}

export const MAX_EVENTS = 50;
export const DEFAULT_TABLE_NAME = 'lambdaflex';

/** Thrown when a conditional write finds a newer version than the writer read. Nothing was written. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly stack: string,
    readonly expectedVersion: number | undefined,
    readonly actualVersion: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `writing stack ${stack}: version conflict (expected ${expectedVersion ?? 'no record'}, found ${actualVersion ?? 'no record'}); read it again and retry`,
      options,
    );
  }
}

/** Thrown by putSpec when the document is invalid. Nothing was written. */
export class SpecValidationError extends Error {
  override readonly name = 'SpecValidationError';
  constructor(readonly errors: SpecError[]) {
    super(errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('\n'));
  }
}

export class StackNotFoundError extends Error {
  override readonly name = 'StackNotFoundError';
  constructor(readonly stack: string) {
    super(`stack ${stack} not found`);
  }
}

export interface StateStore {
  readonly tableName: string;
  /** Creates the table (on-demand billing, key `stack`) when it is missing; waits until it is active. */
  ensureTable(): Promise<void>;
  /**
   * Validates `doc`, then writes it with generation + 1, conditional on the version read: with
   * `expectedVersion` that is the caller's version (0: the stack must not exist yet); without it, the
   * store reads the record once and writes conditional on what it read. Throws SpecValidationError or
   * VersionConflictError, writing nothing.
   */
  putSpec(doc: unknown, options?: { expectedVersion?: number }): Promise<StackRecord>;
  get(stack: string): Promise<StackRecord | undefined>;
  list(): Promise<StackRecord[]>;
  /** Records a delete request (the reconciler acts on it). */
  requestDelete(stack: string): Promise<StackRecord>;
  /** Removes the record (by the reconciler once every resource is gone). */
  deleteRecord(stack: string): Promise<void>;
  /**
   * Writes the status computed by `update` from the freshest record, conditional on its version; on a
   * conflict it re-reads and calls `update` again, so a concurrent spec edit is never clobbered.
   */
  writeStatus(stack: string, update: (current: StackRecord) => StackStatus): Promise<StackRecord>;
  /** Takes the lease when nobody holds it or the holder's lease expired. Returns false when held by another. */
  acquireLease(stack: string, holder: string, ttlMs?: number): Promise<boolean>;
  /** Extends a lease this holder has; false when it was lost. */
  renewLease(stack: string, holder: string, ttlMs?: number): Promise<boolean>;
  releaseLease(stack: string, holder: string): Promise<void>;
  /** Appends events, keeping the newest MAX_EVENTS. */
  appendEvents(stack: string, events: StackEvent[]): Promise<void>;
}
