/**
 * What one simulated AWS service provides: its state, its operations, and how time changes it.
 * Services live in aws-sim/services/, one file (or folder) each, and are listed in aws-sim/services/index.ts.
 */
import type { ServiceName } from './clients';
import type { SimAccount } from './account';
import type { BucketSpec } from './rate-limits';
import type { TagMap } from './tags';

/** One resource as `lambdaflex sim resources --json` shows it; `type` uses CloudFormation's names. */
export interface InventoryItem {
  type: string;
  id: string;
  name?: string;
  arn?: string;
  state?: string;
  tags: TagMap;
}

export interface OperationContext<S> {
  account: SimAccount;
  state: S;
  now: number;
  /** Throws the service's error `code` (see simError). */
  fail(
    code: string,
    message: string,
    options?: { fault?: 'client' | 'server'; httpStatusCode?: number },
  ): never;
}

export interface Operation<S> {
  /** Mutating calls are counted apart; a steady-state pass must make none. */
  mutating: boolean;
  /** Rate-limit bucket of the service's `buckets`; default: 'mutating' or 'describe' by `mutating`. */
  bucket?: string;
  /** Members AWS requires; a missing one is answered with the service's validation error. */
  required?: string[];
  handle(input: Record<string, any>, ctx: OperationContext<S>): Record<string, unknown> | void; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface SimService<S = unknown> {
  readonly name: ServiceName;
  /** Error code for a missing or invalid member (EC2: MissingParameter, ELBv2: ValidationError, …). */
  readonly validationErrorCode: string;
  /** Error code for throttling (EC2: RequestLimitExceeded, others Throttling / ThrottlingException / TooManyRequestsException). */
  readonly throttlingErrorCode: string;
  /**
   * Token buckets by name (docs/aws-facts.md); operations pick one with `bucket`. One named `account` is
   * the account-level bucket every operation of the service takes a token from as well (ELBv2's, shared by
   * all its actions): a call finding either empty is throttled, and takes from neither.
   */
  readonly buckets: Record<string, BucketSpec>;
  readonly operations: Record<string, Operation<S>>;
  /**
   * Every operation builds its answer from scratch, copying any stored object it includes, so the account
   * hands the answer out as it is instead of copying it again (test/aws-sim/fresh-answers.test.ts checks that
   * no answer shares an object with the account or with another answer). Without it, answers are copied.
   */
  readonly freshAnswers?: boolean;
  /**
   * One state for every region of the account, as IAM's (roles and policies are global): accounts of
   * other regions made with `createSimulatedAws({ sameAccountAs })` share it.
   */
  readonly global?: boolean;
  initialState(account: SimAccount): S;
  /** Brings time-driven state (provisioning → active, tasks starting, …) up to `account.now()`. */
  refresh?(state: S, account: SimAccount): void;
  /** Runs once per simulated minute boundary, after refresh (metrics, scaling, cost). */
  tick?(state: S, account: SimAccount, minute: number): void;
  inventory?(state: S, account: SimAccount): InventoryItem[];
  /**
   * Runs after every mutating call of any service that took effect, at the instant it was made: for a
   * service that follows the others' changes (the Tagging API's index, tagging-index.ts). Keep it cheap.
   */
  afterChange?(state: S, account: SimAccount): void;
}
