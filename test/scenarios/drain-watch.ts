/**
 * Safety rule 2 measured in AWS's time, the simulated account's clock, never the reconciler's: when
 * Route 53's authoritative answers for the stack's record stopped naming the Fargate tier (the INSYNC
 * time of the change that took its weight to 0, or its record away), and when each call that takes the
 * Fargate tier's serving path away came (the ECS service scaled to 0 or deleted, a listener, the target
 * group or the load balancer deleted). Watched from inside the simulated clients, so that the reconciler's
 * own clock has no say in it.
 */
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { SimAccount } from '../../aws-sim';
import type { AnswerEntry, Route53State } from '../../aws-sim/services/route53/state';
import type { SimulatedClients } from '../../aws-sim/core/clients';
import type { PassResult } from '../../reconciler/reconcile';
import { ownerTxtName } from '../../reconciler/resources/route53/dns-ownership';
import type { HookClient } from './call-hooks';
import {
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  type Scenario,
  type ScenarioOptions,
} from './harness';

/** What takes requests away from the Fargate tier's targets; DesiredCount 0 drains them like a delete. */
function takesServingAway(operation: string, input: Record<string, unknown>): boolean {
  if (operation === 'UpdateService') return input.desiredCount === 0;
  return ['DeleteService', 'DeleteListener', 'DeleteTargetGroup', 'DeleteLoadBalancer'].includes(operation);
}

/** Whether an answer sends some lookups to the Fargate tier (all weights 0 share lookups equally). */
function namesFargate(entries: AnswerEntry[]): boolean {
  const total = entries.reduce((sum, e) => sum + (e.weight ?? 1), 0);
  return entries.some((e) => e.setIdentifier === 'fargate' && (total === 0 || (e.weight ?? 1) > 0));
}

export interface ServingTakenAway {
  operation: string;
  /** AWS's time of the call. */
  at: number;
  /** Since when (AWS's time) no authoritative answer names the Fargate tier; undefined: one still does. */
  drainedSince: number | undefined;
}

export interface DrainWatch {
  /** Every call that took the Fargate tier's serving path away, in order. */
  readonly calls: ServingTakenAway[];
  /** Since when no answer in effect at `at` names the Fargate tier; undefined while one does. */
  drainedSince(at?: number): number | undefined;
  /** Every answer seen so far: when it took effect, and whether it names the Fargate tier. */
  readonly answers: ReadonlyMap<number, boolean>;
}

/**
 * Watches `clients` (which answer from `account`) for the drain of `recordName` in `zoneId`. The
 * simulator prunes the answers nobody can see any more, so each one is kept here as it appears. An
 * account restored from a saved moment may have pruned some already: `earlier`, the watch of the run
 * that saved it, hands them over (those that took effect by then).
 */
export function watchDrain(
  account: SimAccount,
  clients: SimulatedClients,
  zoneId: string,
  recordName: string,
  earlier?: DrainWatch,
): DrainWatch {
  const key = `${recordName.toLowerCase().replace(/\.?$/, '.')}|A`;
  /** By the time each answer took effect (its change's INSYNC): whether it names the Fargate tier. */
  const answers = new Map<number, boolean>(
    [...(earlier?.answers ?? [])].filter(([from]) => from <= account.now()),
  );
  const remember = () => {
    const zone = account.stateOf<Route53State>('route53').zones[zoneId];
    for (const epoch of zone?.answers[key] ?? []) answers.set(epoch.effectiveAt, namesFargate(epoch.entries));
  };
  const drainedSince = (at = account.now()): number | undefined => {
    remember();
    const inEffect = [...answers.entries()].filter(([from]) => from <= at).sort(([a], [b]) => a - b);
    let lastNaming = -1;
    inEffect.forEach(([, naming], i) => (lastNaming = naming ? i : lastNaming));
    if (lastNaming === -1) return inEffect.length === 0 ? undefined : Number.NEGATIVE_INFINITY;
    return inEffect[lastNaming + 1]?.[0];
  };
  const calls: ServingTakenAway[] = [];
  for (const client of Object.values(clients) as HookClient[]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        remember();
        if (takesServingAway(operation, args.input)) {
          calls.push({ operation, at: account.now(), drainedSince: drainedSince() });
        }
        const answer = await next(args);
        remember();
        return answer;
      },
      { step: 'initialize', name: 'drainWatch', priority: 'low' },
    );
  }
  return { calls, drainedSince, answers };
}

/**
 * The serving path's calls made before the old name had drained for the whole `waitMs`, in words (an
 * empty list: safety rule 2 held).
 */
export function callsBeforeDrained(watch: DrainWatch, waitMs = DRAIN_WAIT_MS): string[] {
  return watch.calls
    .filter((c) => c.drainedSince === undefined || c.at - c.drainedSince < waitMs)
    .map((c) =>
      c.drainedSince === undefined
        ? `${c.operation} while the old name still names Fargate`
        : `${c.operation} ${c.at - c.drainedSince} ms after it drained`,
    );
}

/**
 * A stack settled on Fargate behind the example record (`dns.ttlSeconds` as given), its drain watched
 * from there on; `settling`, the passes that settled it.
 */
export async function settledOnFargateWithDns(
  options: ScenarioOptions,
  ttlSeconds?: number,
): Promise<{ s: Scenario; zone: string; watch: DrainWatch; settling: PassResult[] }> {
  const s = scenario(options);
  const zone = await exampleZoneId(s);
  await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone, EXAMPLE_RECORD, ttlSeconds) }));
  const settling = await s.settle();
  return { s, zone, watch: watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD), settling };
}

/**
 * What the zone still holds at the example record's name and its ownership TXT's name, as
 * "<name> <type>[ <set id>]" (an empty list: nothing left there); read past any fault set.
 */
export async function atTheExampleName(s: Scenario, zone: string): Promise<string[]> {
  const answer = await s.account.withoutFaults(() =>
    s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone })),
  );
  const names = [`${EXAMPLE_RECORD}.`, ownerTxtName(EXAMPLE_RECORD)];
  return (answer.ResourceRecordSets ?? [])
    .filter((set) => names.includes(set.Name ?? ''))
    .map((set) => `${set.Name} ${set.Type}${set.SetIdentifier ? ` ${set.SetIdentifier}` : ''}`);
}
