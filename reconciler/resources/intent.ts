/**
 * What the kinds are told beside the spec and their dependencies, as a parameter: `desiredAttributes(spec, refs,
 * intent)` and `ResourceContext.intent`. None of it can be found in AWS by tag:
 *
 * - the pass's decisions: the Route 53 weights the traffic engine chose, and the tasks the Fargate tier
 *   keeps ahead of a shift or a rise;
 * - what the stack remembers: the Route 53 changes the last pass left PENDING, the DNS names it wrote
 *   records at, the subnets' Availability Zones;
 * - where the reconciler keeps the stack's record: the state table.
 *
 * The engine builds one per pass (reconciler/reconcile.ts); `DEFAULT_INTENT` is what a stack with no
 * decision and no memory gets (a dry run of `planSpec`, a unit test of one kind).
 *
 * @example
 * const steps = plan(spec, 'fargate', observation, now, kinds, withIntent({ weights: { lambda: 90, fargate: 10 } }));
 * // update:dns-lambda, update:dns-fargate
 */
import type { DesiredState } from '../../spec/types';
import { DEFAULT_TABLE_NAME } from '../state/types';
import type { ZoneIds } from './ec2/availability-zones';
import type { WrittenDnsName } from './route53/written-dns-names';
import type { TrafficWeights } from './types';

export interface Intent {
  /** Route 53 weights of the `lambda` and `fargate` alias records (everything on Lambda by default). */
  readonly weights: Readonly<TrafficWeights>;
  /**
   * Tasks the Fargate tier keeps running at least, when the pass asks for more than the spec's `minTasks`
   * (the whole rate's need before traffic moves, or the decider's ahead of a rise). Read through
   * `fargateMinTasks(spec, intent)`.
   */
  readonly fargateMinTasks?: number;
  /**
   * The lambda record's step writes the weights even when Route 53 already holds them, so that a change
   * whose id this pass keeps stands behind them (traffic/known-change.ts, `vouchedDown`: safety rule 2
   * after a change whose id was lost).
   */
  readonly rewriteWeights?: boolean;
  /**
   * Traffic drains from Fargate this pass (the plan touches the Lambda tier and the records only): records at
   * a name the spec no longer wants go, but their ownership TXT stays until the drain is over, for a pass
   * that lost the id of the change that removed them to write again and wait on
   * (route53/leftover-changes.ts).
   */
  readonly drainingRecords?: boolean;
  /**
   * A name the spec dropped may still send lookups to the ALB while the stack stays on Fargate
   * (traffic/old-name.ts): the HTTPS listener found there is kept, and the load balancer's security group
   * keeps its port open (elbv2/listener.ts, `servedPorts`).
   */
  readonly oldNameDrains?: boolean;
  /** By record key, the Route 53 changes the last pass left PENDING: their ids are asked about, not found. */
  readonly pendingChanges: Readonly<Record<string, string>>;
  /** The DNS names the stack remembers writing records at (Route 53 records carry no tags). */
  readonly dnsNames: readonly WrittenDnsName[];
  /** The subnets' Availability Zone ids, recorded or chosen (resources/ec2/availability-zones.ts). */
  readonly zones: Readonly<ZoneIds>;
  /** Why a subnet has no zone, when none could be chosen. */
  readonly zonesShortOf?: string;
  /** The state table the function and the task read their record from (`LAMBDAFLEX_TABLE`). */
  readonly stateTable: string;
}

export const DEFAULT_INTENT: Intent = Object.freeze({
  weights: Object.freeze({ lambda: 100, fargate: 0 }),
  pendingChanges: Object.freeze({}),
  dnsNames: Object.freeze([]),
  zones: Object.freeze({}),
  stateTable: DEFAULT_TABLE_NAME,
});

/** The default intent with some of it set. */
export function withIntent(overrides: Partial<Intent>): Intent {
  return { ...DEFAULT_INTENT, ...overrides };
}

/** The tasks the Fargate tier keeps at least: the spec's `minTasks`, or the intent's more (up to `maxTasks`). */
export function fargateMinTasks(spec: DesiredState, intent: Intent): number {
  const asked = intent.fargateMinTasks ?? 0;
  return asked > spec.fargate.minTasks ? Math.min(asked, spec.fargate.maxTasks) : spec.fargate.minTasks;
}
