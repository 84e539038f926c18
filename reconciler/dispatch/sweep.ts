/**
 * Batched discovery: the dispatcher's look at every settled stack at once, so that a stack whose
 * resources and spec did not change costs a share of a few calls instead of calls of its own.
 *
 * - One paged Resource Groups Tagging API sweep for the whole fleet (by the managed-by tag), split by
 *   the stack tag, compared with each stack's snapshot of its last full observation
 *   (engine/observation-snapshot.ts): anything added or gone makes the stack due.
 * - ECS DescribeServices, ten services a call per cluster (the API takes one cluster a call), only for
 *   stacks with a Fargate service: fewer tasks running than wanted, or a rollout under way, is health in
 *   question, and the stack is due (its pass reads target health).
 * - Route 53 read once per hosted zone (paged), not per stack: a stack's weighted records gone, or
 *   weighted otherwise than its status says, make it due.
 * - Auto mode: the stacks' decider (one batched GetMetricData) on the snapshot; a tier other than the
 *   stack's makes it due, and so do tasks ahead of the rate its scalable target lacks, or a burst its
 *   ledger lacks (decide/auto-due.ts).
 * - The table's system record read once, only when a stack has `dns` or a reserved concurrency: a stack
 *   whose zone, name or reservation it no longer allows is due, so that its pass says so and stops
 *   changes, and so is one it allows again (the refused fields told from the problems, not their text).
 * - A full pass at the resync period, which grows with the fleet (one stack every `resyncStepMs`, at
 *   least every 15 minutes), each stack at its own point of the period: drift the Tagging API can't see
 *   (a role's policy, a route) is found then.
 *
 * A look-up that fails (throttled, say) makes nobody due: unknown is not a change, and the next minute
 * looks again (the resync still comes).
 */
import { createHash } from 'node:crypto';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { ListResourceRecordSetsCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { fqdn } from '../resources/route53/dns-ownership';
import { DNS_KEYS } from '../traffic/shift';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { validateSpec } from '../../spec';
import type { DesiredState } from '../../spec/types';
import { allCeilings, ceilingsConcerning } from '../state/ceilings';
import { MANAGED_BY, TAG_MANAGED_BY, TAG_STACK } from '../../spec/names';
import { awsMessage, classify } from '../aws/classify';
import type { AwsClients } from '../aws/clients';
import { autoPassDue } from '../decide/auto-due';
import type { TierDecision } from '../decide/pinned';
import { inventoryChange } from '../engine/observe-inventory';
import {
  DEFAULT_FULL_OBSERVE_EVERY_MS,
  usableSnapshot,
  type ObservationSnapshot,
} from '../engine/observation-snapshot';
import {
  checkedDnsNames,
  needsSystemRecord,
  problemsMessage,
  systemRecordProblems,
  type SystemRecordReader,
} from '../pass/load';
import type { DecideInput } from '../reconcile';
import type { ManagedResource } from '../resources/types';
import type { StackRecord } from '../state/types';
import type { SweepVerdicts } from './dispatcher';
import { clusterResource } from '../resources/ecs/cluster';
import { ecsServiceResource } from '../resources/ecs/service';

export interface SweepOptions {
  clients: Pick<AwsClients, 'tagging' | 'ecs' | 'route53'>;
  now: () => number;
  kinds: readonly ManagedResource[];
  /** The fleet's resync: one stack's full pass every this long, so the period is fleet × step. */
  resyncStepMs?: number;
  /** Reads the table's system record (its allowed hosted zones); read at most once per sweep. */
  systemRecord?: SystemRecordReader;
  /** Builds auto mode's decider for the settled auto stacks (one metrics call). */
  prepareDecide?: (
    records: StackRecord[],
  ) => Promise<(input: DecideInput) => TierDecision | Promise<TierDecision>>;
}

/** A settled stack the sweep looks at: its record, its last full observation, its spec (once validated). */
interface Settled {
  record: StackRecord;
  snapshot: ObservationSnapshot;
  /** Undefined when the record's spec is invalid (its pass reports why). */
  spec?: DesiredState;
}

/** The default step: a 1,000-stack fleet resyncs each stack about every 3 h 20 min. */
export const DEFAULT_RESYNC_STEP_MS = 12_000;
const MAX_RESYNC_MS = 10 * 60 * 60_000;
/** The Tagging API's largest page. */
const PAGE_SIZE = 100;
/** DescribeServices takes at most ten services a call. */
const SERVICES_PER_CALL = 10;

export interface SweepReport {
  verdicts: SweepVerdicts;
  /** Every stack's tagged ARNs, sorted, as listed; undefined when the listing failed or was not made. */
  inventory?: ReadonlyMap<string, string[]>;
  /** What could not be looked at this time, in words. */
  problems: string[];
  resyncEveryMs: number;
}

/** The full resync period for a fleet of `stacks`: a stack every `stepMs`, between 15 minutes and 10 hours. */
export function resyncPeriod(stacks: number, stepMs = DEFAULT_RESYNC_STEP_MS): number {
  return Math.min(MAX_RESYNC_MS, Math.max(DEFAULT_FULL_OBSERVE_EVERY_MS, stacks * stepMs));
}

/** A stack's own point in the period, so that a fleet built at once does not resync at once. */
function spread(stack: string): number {
  return createHash('sha256').update(stack).digest().readUInt16BE(0) / 0xffff;
}

/**
 * The latest of the stack's resync instants up to `now`: one a period, at the stack's own phase of it.
 * A snapshot taken before it is due for its full pass (unless the instant came within a quarter period
 * after it); so each stack gets one a period, and the fleet's are spread evenly over it, however it was
 * built.
 */
export function lastResyncAt(stack: string, now: number, period: number): number {
  const phase = spread(stack) * period;
  return now - ((((now - phase) % period) + period) % period);
}

/** Every ARN tagged managed-by LambdaFlex, by stack; undefined when the listing failed. */
async function sweepInventory(
  clients: SweepOptions['clients'],
  problems: string[],
): Promise<Map<string, string[]> | undefined> {
  const byStack = new Map<string, string[]>();
  let token: string | undefined;
  try {
    do {
      const page = await clients.tagging.send(
        new GetResourcesCommand({
          TagFilters: [{ Key: TAG_MANAGED_BY, Values: [MANAGED_BY] }],
          ResourcesPerPage: PAGE_SIZE,
          ...(token ? { PaginationToken: token } : {}),
        }),
      );
      for (const mapping of page.ResourceTagMappingList ?? []) {
        const stack = mapping.Tags?.find((t) => t.Key === TAG_STACK)?.Value;
        if (!stack || !mapping.ResourceARN) continue;
        byStack.set(stack, [...(byStack.get(stack) ?? []), mapping.ResourceARN]);
      }
      token = page.PaginationToken || undefined;
    } while (token);
  } catch (error) {
    if (classify(error) === 'fatal') throw error;
    problems.push(`listing the fleet's tagged resources failed: ${awsMessage(error)}`);
    return undefined;
  }
  for (const arns of byStack.values()) arns.sort();
  return byStack;
}

/** Why each stack's Fargate service is in question (stacks with a healthy service are left out). */
async function serviceHealth(
  clients: SweepOptions['clients'],
  stacks: Settled[],
  problems: string[],
): Promise<Map<string, string>> {
  const questions = new Map<string, string>();
  const byCluster = new Map<string, { stack: string; service: string; minTasks: number }[]>();
  for (const { record, snapshot, spec } of stacks) {
    const service = snapshot.resources[ecsServiceResource.key];
    const cluster = snapshot.resources[clusterResource.key]?.arn ?? service?.extra?.clusterArn;
    if (!service?.arn || !cluster) continue;
    const minTasks = spec?.fargate.minTasks ?? 1;
    byCluster.set(cluster, [
      ...(byCluster.get(cluster) ?? []),
      { stack: record.stack, service: service.arn, minTasks },
    ]);
  }
  for (const [cluster, services] of byCluster) {
    for (let i = 0; i < services.length; i += SERVICES_PER_CALL) {
      const chunk = services.slice(i, i + SERVICES_PER_CALL);
      try {
        const answer = await clients.ecs.send(
          new DescribeServicesCommand({ cluster, services: chunk.map((s) => s.service) }),
        );
        for (const s of chunk) {
          const found = answer.services?.find((x) => x.serviceArn === s.service);
          const running = found?.runningCount ?? 0;
          const rollout = (found?.deployments ?? []).length > 1;
          if (!found || found.status !== 'ACTIVE')
            questions.set(s.stack, `its ECS service is ${found?.status ?? 'gone'}`);
          else if (running < s.minTasks || running < (found.desiredCount ?? 0)) {
            questions.set(
              s.stack,
              `health in question: ${running} of ${Math.max(s.minTasks, found.desiredCount ?? 0)} tasks running`,
            );
          } else if (rollout) questions.set(s.stack, 'health in question: a deployment is rolling out');
        }
      } catch (error) {
        if (classify(error) === 'fatal') throw error;
        problems.push(`describing the services of ${cluster} failed: ${awsMessage(error)}`);
      }
    }
  }
  return questions;
}

/** Every record set of a hosted zone, paged. */
async function zoneRecords(clients: SweepOptions['clients'], zoneId: string): Promise<ResourceRecordSet[]> {
  const sets: ResourceRecordSet[] = [];
  let start: { StartRecordName?: string; StartRecordType?: never; StartRecordIdentifier?: string } = {};
  for (;;) {
    const page = await clients.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 300, ...start }),
    );
    sets.push(...(page.ResourceRecordSets ?? []));
    if (!page.IsTruncated) return sets;
    start = {
      StartRecordName: page.NextRecordName,
      StartRecordType: page.NextRecordType as never,
      ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
    };
  }
}

/** Why each stack's weighted records are in question (those as their status says are left out). */
async function dnsDrift(
  clients: SweepOptions['clients'],
  stacks: Settled[],
  problems: string[],
): Promise<Map<string, string>> {
  const questions = new Map<string, string>();
  const byZone = new Map<string, { record: StackRecord; snapshot: ObservationSnapshot; name: string }[]>();
  for (const { record, snapshot, spec } of stacks) {
    const dns = spec?.dns;
    if (!dns) continue;
    const entry = { record, snapshot, name: fqdn(dns.recordName) };
    const zone = byZone.get(dns.hostedZoneId);
    if (zone) zone.push(entry);
    else byZone.set(dns.hostedZoneId, [entry]);
  }
  for (const [zoneId, entries] of byZone) {
    let sets: ResourceRecordSet[];
    try {
      sets = await zoneRecords(clients, zoneId);
    } catch (error) {
      if (classify(error) === 'fatal') throw error;
      problems.push(`reading hosted zone ${zoneId} failed: ${awsMessage(error)}`);
      continue;
    }
    // Indexed once per zone: a zone can hold the records of a thousand stacks, looked up twice each.
    const weighted = new Map<string, ResourceRecordSet>();
    for (const s of sets) if (s.Type === 'A') weighted.set(`${fqdn(s.Name ?? '')} ${s.SetIdentifier}`, s);
    for (const { record, snapshot, name } of entries) {
      const traffic = record.status?.traffic ?? { lambda: 100, fargate: 0 };
      for (const tier of ['lambda', 'fargate'] as const) {
        const had = snapshot.resources[DNS_KEYS[tier]] !== undefined;
        const set = weighted.get(`${name} ${tier}`);
        if (had && !set) questions.set(record.stack, `its ${tier} record at ${name} is gone`);
        else if (!had && set) questions.set(record.stack, `a ${tier} record appeared at ${name}`);
        else if (set && (set.Weight ?? 0) !== traffic[tier]) {
          questions.set(
            record.stack,
            `its ${tier} record at ${name} weighs ${set.Weight ?? 0}, not ${traffic[tier]}`,
          );
        }
      }
    }
  }
  return questions;
}

/**
 * Why each stack needs a pass because the system record (its zones, its ceilings: state/ceilings.ts)
 * and the stack's spec disagree with what its status says: refused and not yet said so (its pass then
 * stops changes), or allowed again after its pass said no (a schema-valid spec is invalid to the pass only
 * for those).
 */
async function zoneChanges(
  options: SweepOptions,
  stacks: Settled[],
  problems: string[],
): Promise<Map<string, string>> {
  const questions = new Map<string, string>();
  const concerned = ({ spec, record }: Settled) => spec !== undefined && needsSystemRecord(spec, record);
  if (!options.systemRecord || !stacks.some(concerned)) return questions;
  let system: Awaited<ReturnType<SystemRecordReader>>;
  try {
    system = await options.systemRecord();
  } catch (error) {
    problems.push(
      `reading the system record failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return questions;
  }
  for (const stack of stacks) {
    // A spec the system record checks nothing of is never refused by it, nor allowed again.
    if (!concerned(stack)) continue;
    const { record, spec } = stack;
    if (!spec) continue;
    const refusals = systemRecordProblems(spec, system, undefined, record);
    const refused = refusals.length > 0 ? problemsMessage(refusals) : undefined;
    const specValid = record.status?.conditions.find((c) => c.type === 'SpecValid');
    const saidNo = specValid?.status === 'False' ? specValid.message : undefined;
    if (refused && refused !== saidNo) {
      const what = checkedFields(refusals.map((p) => p.path)).map((field) => fieldSaid(spec, field));
      questions.set(
        record.stack,
        `the system record does not allow ${what.join(' and ')}: its pass stops changes`,
      );
    } else if (!refused && saidNo !== undefined) {
      // What the pass said no to is only text; what the system record allows now is known: every field of
      // the spec it checks (needsSystemRecord), one of which it refused.
      const again = needsSystemRecordFields(spec, record).map((field) => `its ${field}`);
      questions.set(record.stack, `the system record allows ${again.join(' and ')} again`);
    }
  }
  return questions;
}

/** The fields the system record checks, as the sweep names them: `dns` (its zone, its name, the names
 * left behind) and each ceiling's (`lambda.reservedConcurrency`, `fargate.maxTasks`), of those `paths`
 * name (a problem's, `dns.recordName`). */
function checkedFields(paths: readonly string[]): string[] {
  const named = (field: string) => paths.some((p) => p === field || p.startsWith(`${field}.`));
  return systemRecordFields().filter(named);
}

/** `dns`, then the ceilings' fields in their order (state/ceilings.ts). */
function systemRecordFields(): string[] {
  return ['dns', ...allCeilings().map((ceiling) => ceiling.field)];
}

/** The fields of `spec` the system record checks (the paths needsSystemRecord reads it for). */
function needsSystemRecordFields(spec: DesiredState, record: StackRecord): string[] {
  const concerning = new Set(ceilingsConcerning(spec).map((ceiling) => ceiling.field));
  return systemRecordFields().filter((field) =>
    field === 'dns' ? checkedDnsNames(spec, record).length > 0 : concerning.has(field),
  );
}

/** A refused field and the spec's value of it, for the verdict. */
function fieldSaid(spec: DesiredState, field: string): string {
  if (field === 'dns')
    return `its dns${spec.dns ? ` (${spec.dns.recordName} in ${spec.dns.hostedZoneId})` : ''}`;
  const ceiling = allCeilings().find((c) => c.field === field);
  return ceiling ? `its ${field} (${ceiling.said(spec)})` : `its ${field}`;
}

/** The settled stacks' verdicts: why each needs a pass, or undefined when nothing changed. */
export async function sweep(
  options: SweepOptions,
  settled: StackRecord[],
  fleetSize: number,
): Promise<SweepReport> {
  const now = options.now();
  const period = resyncPeriod(fleetSize, options.resyncStepMs);
  const verdicts: SweepVerdicts = new Map();
  const problems: string[] = [];
  const confirmable: Settled[] = [];
  for (const record of settled) {
    // Each stack's full pass at its own point of the period (a fleet built at once is spread out).
    const last = lastResyncAt(record.stack, now, period);
    const at = record.bookkeeping.observationSnapshot?.at ?? -Infinity;
    // An instant that came less than a quarter period after the last full pass (a stack that just
    // settled) is skipped: the next one counts.
    const resyncDue = at < last && last - at >= period / 4;
    const verdict = usableSnapshot(record, now, resyncDue ? now - last : Infinity);
    if (verdict.usable) {
      const validation = validateSpec(record.spec);
      confirmable.push({
        record,
        snapshot: verdict.snapshot,
        ...(validation.ok ? { spec: validation.spec } : {}),
      });
    } else
      verdicts.set(
        record.stack,
        verdict.why === 'periodic full observation' ? 'periodic resync' : verdict.why,
      );
  }
  const inventory = await sweepInventory(options.clients, problems);
  const listed = inventory ? { inventory } : {};
  if (confirmable.length === 0) return { verdicts, problems, resyncEveryMs: period, ...listed };
  const zones = await zoneChanges(options, confirmable, problems);

  // Without the fleet's inventory nothing is known to have changed: the next minute looks again.
  const live = inventory
    ? confirmable.filter(({ record, snapshot }) => {
        const change = inventoryChange(snapshot.inventory, inventory.get(record.stack) ?? []);
        if (change) verdicts.set(record.stack, `the stack's tagged resources changed: ${change}`);
        return change === undefined;
      })
    : [];
  for (const [stack, why] of await serviceHealth(options.clients, live, problems)) verdicts.set(stack, why);
  for (const [stack, why] of await dnsDrift(options.clients, live, problems)) verdicts.set(stack, why);

  const auto = live.flatMap(({ record, snapshot, spec }) =>
    spec?.mode === 'auto' && !verdicts.has(record.stack) ? [{ record, snapshot, spec }] : [],
  );
  if (auto.length > 0 && options.prepareDecide) {
    try {
      const decide = await options.prepareDecide(auto.map((a) => a.record));
      for (const { record, snapshot, spec } of auto) {
        const decision = await decide({
          spec,
          record,
          observation: { resources: { ...snapshot.resources }, unknown: {} },
          kinds: options.kinds,
          now,
        });
        const tier = record.status?.tier ?? 'lambda';
        const beyondTier = autoPassDue({
          decision,
          spec,
          resources: snapshot.resources,
          ledger: record.bookkeeping.autoLedger,
        });
        if (decision.tier !== tier)
          verdicts.set(record.stack, `auto mode wants ${decision.tier}: ${decision.reason}`);
        else if (beyondTier) verdicts.set(record.stack, beyondTier);
      }
    } catch (error) {
      if (classify(error) === 'fatal') throw error;
      problems.push(`deciding auto mode failed: ${awsMessage(error)}`);
    }
  }
  for (const [stack, why] of zones) verdicts.set(stack, why);
  for (const { record } of confirmable)
    if (!verdicts.has(record.stack)) verdicts.set(record.stack, undefined);
  return { verdicts, problems, resyncEveryMs: period, ...listed };
}
