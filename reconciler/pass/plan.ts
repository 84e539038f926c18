/**
 * The pass's plan stage, its pure parts: which kinds the plan may touch, and the intent the kinds are told
 * (resources/intent.ts): what the stack remembers, then the pass's decisions.
 */
import type { TierDecision } from '../decide/pinned';
import { resourceGraph, type ResourceGraph } from '../engine/graph';
import type { Observation } from '../engine/types';
import type { ZoneResolution } from '../resources/ec2/availability-zones';
import { DEFAULT_INTENT, type Intent } from '../resources/intent';
import {
  namesFromRecordIds,
  specName,
  withName,
  type WrittenDnsName,
} from '../resources/route53/written-dns-names';
import type { DesiredState } from '../../spec/types';
import type { Plan, PlanStep } from '../engine/types';
import { RESOURCE_KEYS } from '../resources/keys';
import type { ManagedResource } from '../resources/types';
import type { StackRecord } from '../state/types';
import { DNS_KEYS, type TrafficDecision } from '../traffic/shift';
import { DNS_LEFTOVERS_KEY, onlyOwnershipLeft } from '../resources/route53/dns-leftovers';

/**
 * What the stack remembers and AWS can't be asked for by tag, for the finders and the plan: the Route 53
 * changes the last pass left PENDING, the DNS names it wrote at, the recorded zones; and the table the
 * function and the task must read their record from (the one this reconciler reads it from).
 */
export function rememberedIntent(
  record: StackRecord,
  dnsNames: readonly WrittenDnsName[],
  stateTable: string,
): Intent {
  return {
    ...DEFAULT_INTENT,
    pendingChanges: record.bookkeeping.pendingChanges,
    dnsNames,
    zones: record.bookkeeping.zones ?? {},
    stateTable,
  };
}

/**
 * The remembered intent with the pass's decisions: the traffic engine's weights, the tasks to keep (ahead
 * of a rise, the decider's; for the traffic about to move, the engine's: the larger) and the zones.
 */
export function passIntent(
  remembered: Intent,
  decided: { decision: TierDecision; traffic: TrafficDecision },
  zones: Pick<ZoneResolution, 'zones' | 'shortOf'>,
): Intent {
  const { decision, traffic } = decided;
  const minTasks = Math.max(
    traffic.fargateMinTasks ?? 0,
    decision.tier === 'fargate' ? (decision.fargateMinTasks ?? 0) : 0,
  );
  return {
    ...remembered,
    weights: traffic.weights,
    ...(traffic.rewriteWeights ? { rewriteWeights: true } : {}),
    ...(traffic.planResources === 'lambda-tier-and-records' || traffic.oldNameDrains
      ? { drainingRecords: true }
      : {}),
    ...(traffic.oldNameDrains ? { oldNameDrains: true } : {}),
    ...(minTasks > 0 ? { fargateMinTasks: minTasks } : {}),
    zones: zones.zones,
    ...(zones.shortOf ? { zonesShortOf: zones.shortOf } : {}),
  };
}

/**
 * The kinds the plan may touch. While traffic drains ('lambda-tier-and-records'), the Lambda tier and the existing
 * records only: nothing of the Fargate tier is created or deleted until the drain is over (safety rule 2), nor
 * the ownership TXT kept at a name the spec no longer wants once its records are gone and in sync, unless the
 * pass writes it again to wait on (`rewriteWeights`, route53/leftover-changes.ts). After a terminal error
 * ('existing-records'), the existing records alone. A record whose look-up failed may exist too: planned, it
 * gets a wait rather than being forgotten.
 */
export function planScope(
  kinds: readonly ManagedResource[],
  planResources: TrafficDecision['planResources'],
  observation: Observation,
  rewriteWeights = false,
): ResourceGraph<ManagedResource> {
  const graph = resourceGraph(kinds);
  if (planResources === 'all') return graph;
  const existingRecord = (k: ManagedResource) =>
    Object.values(DNS_KEYS).includes(k.key as never) &&
    (observation.resources[k.key] !== undefined || k.key in observation.unknown);
  return graph.restrict(
    kinds
      .filter(
        (k) =>
          existingRecord(k) ||
          (planResources === 'lambda-tier-and-records' &&
            k.tier === 'lambda' &&
            !ownershipKeptWhileDraining(k.key, observation, rewriteWeights)),
      )
      .map((k) => k.key),
  );
}

/**
 * The DNS names the stack remembers writing at; a record from before they were remembered names its own
 * (the ids of its weighted records in the status), once.
 */
export function rememberedDnsNames(record: StackRecord): WrittenDnsName[] {
  return (
    record.bookkeeping.dnsNames ??
    namesFromRecordIds(Object.values(record.status?.resources ?? {}).map((r) => r.id))
  );
}

/** The names to remember before applying `plan`: with the spec's when the plan writes records there. */
export function namesBeforeApply(
  remembered: WrittenDnsName[],
  spec: DesiredState,
  plan: Plan,
): WrittenDnsName[] {
  const name = specName(spec);
  const writes = plan.steps.some(
    (s) =>
      (s.action === 'create' || s.action === 'update') && Object.values(DNS_KEYS).includes(s.key as never),
  );
  return name && writes ? withName(remembered, name) : remembered;
}

/**
 * While a name the spec dropped drains (`oldNameDrains`, traffic/old-name.ts, or on the way down with the
 * records), what only that name needs is waited on instead of deleted: the HTTPS listener the spec no
 * longer wants (its certificate went with `dns`), as clients that used the name still reach the ALB over
 * HTTPS until resolvers let go of its records (safety rule 2); the API Gateway custom domain of that name
 * (with its API mapping), which clients given its alias reach with that host, and which answers them no
 * more once deleted; and the ownership TXT kept there once its records are gone and in sync,
 * unless the pass writes it again to wait on (route53/leftover-changes.ts). Waits, so that the stack is
 * not settled while it drains; a step that waited on such a delete waits on the wait.
 */
export function holdForOldName(
  plan: Plan,
  traffic: Pick<TrafficDecision, 'oldNameDrains' | 'rewriteWeights'> &
    Partial<Pick<TrafficDecision, 'planResources'>>,
  observation: Observation,
): Plan {
  // The way down drains the old name with the records ('lambda-tier-and-records'): the custom domain
  // waits for that drain as well.
  const drainingDown = traffic.planResources === 'lambda-tier-and-records';
  if (!traffic.oldNameDrains && !drainingDown) return plan;
  const heldUntilDrained = (step: PlanStep) =>
    step.action === 'delete' &&
    step.target === undefined &&
    (step.key === RESOURCE_KEYS.listenerHttps ||
      step.key === RESOURCE_KEYS.apiDomainLeftovers ||
      ownershipKeptWhileDraining(step.key, observation, traffic.rewriteWeights === true));
  const held = new Map(plan.steps.filter(heldUntilDrained).map((step) => [step.id, `wait:${step.key}`]));
  if (held.size === 0) return plan;
  return {
    ...plan,
    steps: plan.steps.map((step) => {
      const dependsOn = step.dependsOn.map((dep) => held.get(dep) ?? dep);
      if (!held.has(step.id)) return { ...step, dependsOn };
      return {
        ...step,
        dependsOn,
        id: held.get(step.id)!,
        action: 'wait' as const,
        reason: 'kept while the name the spec dropped may still send lookups to what served it',
        waitsFor: 'the old name to drain (its records removed and in sync, then TTL × 2) before it goes',
        waitUntil: 'gone' as const,
      };
    }),
  };
}

/**
 * Whether `key` is the leftovers' and only their ownership TXT is left, kept while the drain lasts: its
 * records are gone and in sync, and the pass does not write it again to wait on (`rewriteWeights`).
 */
function ownershipKeptWhileDraining(key: string, observation: Observation, rewriteWeights: boolean): boolean {
  return key === DNS_LEFTOVERS_KEY && !rewriteWeights && onlyOwnershipLeft(observation.resources[key]);
}
