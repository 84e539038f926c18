/** The plan, the observation it is made from, and what applying it did. All plain JSON. */
import type { ObservedResource, ObservedResources, AttributeChange } from '../resources/types';

export type StepAction = 'create' | 'update' | 'delete' | 'wait' | 'conflict';

export interface PlanStep {
  /** `<action>:<key>`, unique in a plan. */
  id: string;
  action: StepAction;
  key: string;
  type: string;
  /** Why the step is there, in words ("missing", "health check path differs", "Fargate tier not wanted"). */
  reason: string;
  /** Steps that must be done first: one that ends otherwise (waiting, failed) holds this one. */
  dependsOn: string[];
  /**
   * Steps that must have ended first, however they ended: an order, not a need (a dependency of strength
   * 'order', resources/types.ts). Absent when there are none.
   */
  after?: string[];
  /** For waits and blocked steps: what it waits for. */
  waitsFor?: string;
  /** For waits: whether the resource must become ready, or be gone (AWS still deleting it). */
  waitUntil?: 'ready' | 'gone';
  changes?: AttributeChange[];
  /**
   * For a conflict with something that is not the stack's (safety rules 3 and 7): what is in the way. Such a
   * conflict is checked again every pass (its owner may remove it), unlike one the spec must resolve.
   */
  inTheWay?: string;
  /** For a delete of one of the stack's duplicates (not the resource in use for the key): its id. */
  target?: string;
}

export interface Plan {
  stack: string;
  /** A stack's plan: the tier it is made for. Absent for bootstrap's system kinds, which have no tiers. */
  targetTier?: 'lambda' | 'fargate' | 'none';
  /** Epoch ms the plan was made for. */
  at: number;
  steps: PlanStep[];
}

/** What observe found: each key's resource, absent ones as undefined; `unknown` lists keys whose finder failed. */
export interface Observation {
  resources: ObservedResources;
  unknown: Record<string, string>;
  /** By key, resources the stack made beyond the one in use (a create made twice): to be deleted. */
  duplicates?: Record<string, ObservedResource[]>;
  /** By key, resources carrying the stack's tags that it can't prove its own: reported, never touched. */
  foreign?: Record<string, ObservedResource[]>;
  /**
   * Keys of `unknown` whose finder failed (an error answer, or a dependency it needed that failed so), not
   * ones judged missing: what they would have shown is not known (engine/held-by-dependents.ts).
   */
  unread?: Record<string, true>;
}

export type StepOutcome =
  | { status: 'done' }
  /**
   * `until`: when what it waits for is usually done (ObservedResource.readyExpectedAt), or, for a step
   * waiting for a dependency its step did not make, when that step comes back (engine/come-back.ts).
   */
  | { status: 'waiting'; reason: string; until?: number }
  /**
   * `heldBy`: the step that holds it, the first of the chain of dependencies that did not end blocked
   * (absent when no step does: the pass ran out of time). What comes back when says what it waits for.
   */
  | { status: 'blocked'; reason: string; heldBy?: string }
  | { status: 'backoff'; reason: string; retryAt: number }
  | { status: 'retryable'; code?: string; message: string }
  | { status: 'terminal'; code?: string; message: string }
  /** Something not the stack's is in the way: nothing is done to it, and the next pass looks again. */
  | { status: 'conflict'; message: string };

export interface ApplyResult {
  outcomes: Record<string, StepOutcome>;
  /** The observation updated by what the steps created, changed and deleted. */
  observation: Observation;
  /** True when every step is done and nothing waits. */
  settled: boolean;
  /** True when the pass stopped because its time budget ran out. */
  outOfTime: boolean;
}

/** Retry bookkeeping kept in the stack's status between passes (a Lambda keeps no memory). */
export interface RetryState {
  attempts: number;
  /** Epoch ms before which the step is not tried again. */
  retryAt: number;
  lastError: string;
}
