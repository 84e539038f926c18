/**
 * Auto mode wired into a reconciler pass (docs/auto-policy.md): once per pass, one batched CloudWatch GetMetricData
 * call (paged, split only past 500 queries) for every auto-mode stack, then a decide hook that hands each
 * stack's samples, phase and stored history to the pure `decideAuto`.
 *
 * The metric dimensions come from the ids and ARNs the previous pass stored in each record's status: the
 * metrics are fetched before this pass observes anything, and a stack's resources rarely change between
 * two passes a minute apart (a resource created by the last pass simply has no data yet, which the
 * decider never reads as zero).
 */
import { GetMetricDataCommand, type GetMetricDataOutput } from '@aws-sdk/client-cloudwatch';
import { validateSpec } from '../../spec';
import type { DesiredState } from '../../spec/types';
import type { AwsClients } from '../aws/clients';
import { arnSuffix } from '../resources/elbv2/support';
import type { ManagedResource } from '../resources/types';
import type { Phase, ResourceRef, StackRecord } from '../state/types';
import { DURATION_WINDOW_MINUTES, RECENT_MINUTES, TREND_WINDOW_MINUTES, decideAuto } from './auto';
import { AUTO_HISTORY_FIELD, readAutoHistory, recordDecision } from './history';
import type { DecideHook, DecideInput } from './decide-input';
import { readLedger } from './ledger';
import { metricQueries, parseMetricResults, type MinuteSample, type StackMetricTargets } from './metrics';
import type { MoveWeights } from './move-progress';
import { pinnedTier, type TierDecision } from './pinned';
import type { MoveDurations } from './ski-rental';
import { TIER_NAME, tierOfPhase } from './tier';
import { MINUTE_MS } from '../../util/time';
import { RESOURCE_KEYS } from '../resources/keys';

export interface AutoDecideOptions {
  clients: Pick<AwsClients, 'cloudwatch'>;
  /** The clock of the metrics window (the simulated clock in simulations). */
  now: number | (() => number);
  /** The kinds `pinnedTier` looks through when the hook's input names none. */
  kinds?: readonly ManagedResource[];
  /** Scale-up and scale-down durations for the ski-rental rule (`simulate` passes measured ones). */
  moves?: MoveDurations;
  /** Overrides the regional Lambda concurrency limit (default: reserved concurrency, else 1000). */
  lambdaConcurrencyLimit?: number;
}

export type { DecideHook } from './decide-input';

/**
 * No window shorter than this: it covers the mean Lambda duration (DURATION_WINDOW_MINUTES), the trend
 * window of the scale-up rules (TREND_WINDOW_MINUTES) and a run as long as a round trip (the ski-rental
 * rule's bounded wait, about 30 min), plus CloudWatch's delay. A shorter window would cut every run short.
 */
const MIN_WINDOW_MINUTES = Math.max(
  60,
  TREND_WINDOW_MINUTES + RECENT_MINUTES,
  DURATION_WINDOW_MINUTES + RECENT_MINUTES,
);
/** Bounds the datapoints of one request (500 queries × this stays far below GetMetricData's 100,800). */
const MAX_WINDOW_MINUTES = 180;

/** The auto-mode records the pass will decide for, with their validated specs. */
function autoStacks(records: readonly StackRecord[]): { record: StackRecord; spec: DesiredState }[] {
  const out: { record: StackRecord; spec: DesiredState }[] = [];
  for (const record of records) {
    if (record.deletionRequestedAt !== undefined) continue;
    const validation = validateSpec(record.spec);
    if (validation.ok && validation.spec.mode === 'auto') out.push({ record, spec: validation.spec });
  }
  return out;
}

/** `arn:…:cluster/<name>` → name; `arn:…:service/<cluster>/<name>` (or the old `service/<name>`) → name. */
const lastSegment = (arnOrName: string) => arnOrName.slice(arnOrName.lastIndexOf('/') + 1);

function suffixOf(ref: ResourceRef | undefined, type: 'loadbalancer/' | 'targetgroup/'): string | undefined {
  const arn = ref?.arn ?? ref?.id;
  if (!arn) return undefined;
  try {
    return arnSuffix(arn, type);
  } catch {
    // A hand-edited or foreign-format status: no dimension is better than a wrong one.
    return undefined;
  }
}

/**
 * The CloudWatch names of a stack's resources, from the ids and ARNs its status holds: the HTTP API id,
 * the function name, the ALB's and target group's ARN suffixes, the cluster's and service's names.
 */
export function metricTargetsOf(record: StackRecord): StackMetricTargets {
  const resources = record.status?.resources ?? {};
  const api = resources[RESOURCE_KEYS.httpApi];
  const fn = resources[RESOURCE_KEYS.lambdaFunction];
  const cluster = resources[RESOURCE_KEYS.cluster];
  const service = resources[RESOURCE_KEYS.service];
  const targets: StackMetricTargets = { stack: record.stack };
  if (api?.id) targets.apiId = api.id;
  // The function's id is its name; an ARN (if a kind ever stores one) ends with it.
  if (fn?.id) targets.functionName = fn.id.startsWith('arn:') ? fn.id.split(':')[6] : fn.id;
  const loadBalancer = suffixOf(resources[RESOURCE_KEYS.loadBalancer], 'loadbalancer/');
  if (loadBalancer) targets.loadBalancer = loadBalancer;
  const targetGroup = suffixOf(resources[RESOURCE_KEYS.targetGroup], 'targetgroup/');
  if (targetGroup) targets.targetGroup = targetGroup;
  if (cluster?.id) targets.clusterName = lastSegment(cluster.arn ?? cluster.id);
  if (service?.id) targets.serviceName = lastSegment(service.arn ?? service.id);
  return targets;
}

/** Minutes of metrics the stacks' rules need: the longest run plus CloudWatch's delay. */
export function windowMinutes(specs: readonly DesiredState[]): number {
  let longest = 0;
  for (const spec of specs) {
    const { scaleUp, scaleDown } = spec.thresholds;
    longest = Math.max(longest, scaleUp.forMinutes, scaleDown.forMinutes);
  }
  return Math.min(MAX_WINDOW_MINUTES, Math.max(MIN_WINDOW_MINUTES, longest + RECENT_MINUTES + 1));
}

/** Every page of every request; throws what the first failing call throws. */
async function fetchMetrics(
  clients: AutoDecideOptions['clients'],
  targets: StackMetricTargets[],
  now: number,
  minutes: number,
): Promise<GetMetricDataOutput[]> {
  const responses: GetMetricDataOutput[] = [];
  for (const request of metricQueries(targets, { now, minutes })) {
    let nextToken: string | undefined;
    do {
      const response = await clients.cloudwatch.send(
        new GetMetricDataCommand({ ...request, ...(nextToken ? { NextToken: nextToken } : {}) }),
      );
      responses.push(response);
      nextToken = response.NextToken;
    } while (nextToken);
  }
  return responses;
}

/**
 * Builds the `prepareDecide` of `reconcileAll`: called once per pass with every record, it fetches the
 * auto-mode stacks' metrics in one batched call and returns the decide hook of the pass.
 *
 * @example
 * await reconcileAll(options, {
 *   prepareDecide: prepareAutoDecide({ clients: options.clients, now: options.now }),
 * });
 */
export function prepareAutoDecide(
  options: AutoDecideOptions,
): (records: StackRecord[]) => Promise<DecideHook> {
  const clock = typeof options.now === 'function' ? options.now : () => options.now as number;
  return async (records) => {
    const stacks = autoStacks(records);
    let samples = new Map<string, MinuteSample[]>();
    let failure: string | undefined;
    if (stacks.length > 0) {
      try {
        const minutes = windowMinutes(stacks.map((s) => s.spec));
        const responses = await fetchMetrics(
          options.clients,
          stacks.map((s) => metricTargetsOf(s.record)),
          clock(),
          minutes,
        );
        samples = parseMetricResults(responses);
      } catch (error) {
        // No metrics is not low traffic: every auto stack keeps its tier this pass, and says why.
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
    return (input) => decide(input, options, samples.get(input.record.stack) ?? [], failure);
  };
}

/**
 * What the stack's traffic is carried by, as decideAuto reads it: no weight when the traffic engine found
 * none of ours last pass (and whether the Fargate tier that served is unhealthy), else Route 53's weights
 * as that pass observed them. The engine's verdict, not the spec's `dns`: records left from a spec that
 * had one are still drained. A status from before the verdict was published: the spec's.
 */
function moveWeightsOf(spec: DesiredState, record: StackRecord): { traffic?: MoveWeights } {
  const weightless = record.status?.weightless ?? !spec.dns;
  if (weightless) return { traffic: record.status?.fargateUnhealthy ? 'unweighted-unhealthy' : 'unweighted' };
  return record.status?.traffic ? { traffic: record.status.traffic } : {};
}

function decide(
  input: DecideInput,
  options: AutoDecideOptions,
  samples: MinuteSample[],
  failure: string | undefined,
): TierDecision {
  const { spec, record } = input;
  const history = readAutoHistory(record.status);
  const phase: Phase = record.status?.phase ?? 'Pending';
  const deletionRequested = record.deletionRequestedAt !== undefined;
  if (spec.mode !== 'auto' || deletionRequested) {
    const kinds = input.kinds.length > 0 ? input.kinds : (options.kinds ?? []);
    const pinned = pinnedTier(spec, { deletionRequested, observation: input.observation, kinds });
    if (pinned.tier === 'none') return pinned;
    // Kept in the history too, so that a later switch back to auto starts from the tier the stack is in,
    // and the cooldown counts from the pinned move.
    const next = recordDecision(history, {
      minute: Math.floor(input.now / MINUTE_MS),
      tier: pinned.tier,
      reason: pinned.reason,
      from: history.tier ?? tierOfPhase(phase),
      ...(spec.mode === 'auto' ? {} : { pinnedBy: spec.mode }),
    });
    // The ledger is kept as it is: what the stack's traffic taught still holds when it is back in auto.
    const ledger = record.bookkeeping.autoLedger;
    return {
      ...pinned,
      statusPatch: { [AUTO_HISTORY_FIELD]: next },
      ...(ledger ? { bookkeepingPatch: { autoLedger: ledger } } : {}),
    };
  }
  const decision = decideAuto({
    spec,
    samples: failure === undefined ? samples : [],
    phase,
    ...moveWeightsOf(spec, record),
    history,
    ledger: readLedger(record.bookkeeping.autoLedger),
    now: input.now,
    ...(options.lambdaConcurrencyLimit !== undefined
      ? { lambdaConcurrencyLimit: options.lambdaConcurrencyLimit }
      : {}),
    ...(options.moves ? { moves: options.moves } : {}),
  });
  const reason =
    failure === undefined
      ? decision.reason
      : `metrics unavailable (${failure}): staying on ${TIER_NAME[decision.tier]}`;
  return {
    tier: decision.tier,
    reason,
    ...(failure === undefined && decision.settledReason !== undefined
      ? { settledReason: decision.settledReason }
      : {}),
    statusPatch: { [AUTO_HISTORY_FIELD]: decision.history },
    bookkeepingPatch: { autoLedger: decision.ledger },
    ...(failure === undefined && decision.rps !== undefined ? { requestRate: decision.rps } : {}),
    ...(failure === undefined && decision.tasksAhead ? { fargateMinTasks: decision.tasksAhead.tasks } : {}),
  };
}
