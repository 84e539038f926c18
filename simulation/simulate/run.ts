/**
 * `lambdaflex simulate`'s engine: the real reconciler (decide, plan, apply) against a fresh
 * simulated account, with a trace as the stack's traffic, one pass per simulated minute as the scheduled
 * reconciler Lambda would run, priced by the account's cost meter and compared with the policies of
 * simulation/policy. Entirely in memory: no AWS, no DynamoDB, nothing under .lambdaflex/.
 */
import { prepareAutoDecide } from '../../reconciler/decide/auto-decider';
import type { MoveDurations } from '../../reconciler/decide/ski-rental';
import { reconcileAll } from '../../reconciler/reconcile-all';
import type { ReconcilerOptions } from '../../reconciler/reconcile';
import { ALL_RESOURCES } from '../../reconciler/resources';
import type { ManagedResource } from '../../reconciler/resources/types';
import { InMemoryStateStore, SpecValidationError, type Phase } from '../../reconciler/state';
import type { StackStatus } from '../../reconciler/state/types';
import { ceilingsConcerning } from '../../reconciler/state/ceilings';
import {
  DEFAULT_MAX_FARGATE_VCPUS,
  DEFAULT_MAX_RESERVED_CONCURRENCY,
  fargateVcpus,
  type SystemRecord,
} from '../../reconciler/state/system-record';
import { validateSpec } from '../../spec';
import { TAG_STACK } from '../../spec/names';
import type { DesiredState, DesiredStateInput } from '../../spec/types';
import { createSimulatedAws } from '../../aws-sim/index';
import { attachTrafficModel } from '../traffic/model';
import type { SimAccount } from '../../aws-sim/core/account';
import { createRandomState, nextRandom } from '../../aws-sim/core/random';
import { costByMinute } from '../cost';
import { alwaysFargate, alwaysLambda, oracle } from '../policy';
import type { Elbv2State } from '../../aws-sim/services/elbv2';
import { setStackCapacity, setTraffic, trafficLog } from '../traffic';
import type { Trace } from '../traffic/types';
import {
  fargateShare,
  mean,
  moveDurations,
  phaseTransitions,
  unrouted,
  violated,
  type PassSnapshot,
} from './measure';
import { withSimulatedDns } from './spec';
import type { SimulationResult, TimelineEntry } from './types';
import { MINUTE_MS } from '../../util/time';

export interface SimulateOptions {
  trace: Trace;
  /** As a user writes it; its `dns` is replaced by a record in the simulated account's zone. */
  spec: DesiredStateInput;
  seed?: number;
  /** Default ALL_RESOURCES, as the reconciler Lambda runs. */
  kinds?: readonly ManagedResource[];
  /** Called after every simulated minute of the trace (progress for long runs). */
  onMinute?: (done: number, total: number) => void;
  /** Bound on the simulated minutes spent building the stack before the trace starts (default 60). */
  warmUpMinutes?: number;
  /**
   * Called after every pass of the trace with the stack's status as the pass left it (the decision's
   * reason, the phase): for reading a run's decisions minute by minute.
   */
  onPass?: (minute: number, status: StackStatus | undefined) => void;
}

/** docs/aws-facts.md's estimates, used for the oracle and the decider until this run measured a move. */
export const DEFAULT_MOVES: MoveDurations = { scaleUpMinutes: 6, scaleDownMinutes: 7 };
const HOLDER = 'simulate';
const MAX_REPORTED_ERRORS = 20;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Advances the clock to the start of the next minute (a pass takes no simulated time, but be exact). */
function toNextMinute(account: SimAccount): void {
  const next = account.startTime + (account.minute() + 1) * MINUTE_MS;
  account.advance(next - account.now());
}

function albExists(account: SimAccount, stack: string): boolean {
  const lbs = account.stateOf<Elbv2State>('elbv2').loadBalancers;
  return Object.values(lbs).some((lb) => lb.tags[TAG_STACK] === stack);
}

function validSpec(input: DesiredStateInput): DesiredState {
  const validation = validateSpec(input);
  if (!validation.ok) throw new SpecValidationError(validation.errors);
  return validation.spec;
}

/**
 * The system record of an installation whose operator allows what the spec asks: a simulation is of the
 * spec's cost, not of one installation's rules, and a spec above a default ceiling (a reservation above
 * `bootstrap --max-reserved-concurrency`'s, a Fargate tier above `--max-fargate-vcpus`') would otherwise
 * leave the stack unbuilt, simulating nothing.
 * Its `dns` is the simulated zone's (withSimulatedDns), allowed by name.
 */
function installationAllowing(spec: DesiredState): SystemRecord {
  return {
    hostedZones: spec.dns ? [{ id: spec.dns.hostedZoneId, recordNames: [spec.dns.recordName] }] : [],
    zoneNames: {},
    maxReservedConcurrency: Math.max(DEFAULT_MAX_RESERVED_CONCURRENCY, spec.lambda.reservedConcurrency ?? 0),
    maxFargateVcpus: Math.max(DEFAULT_MAX_FARGATE_VCPUS, Math.ceil(fargateVcpus(spec.fargate))),
  };
}

/**
 * @example
 * const report = await simulateTrace({ trace: loadTrace(csv), spec: exampleSpec() });
 * report.cost.total; report.baselines.oracle.cost; report.transitions;
 */
export async function simulateTrace(options: SimulateOptions): Promise<
  SimulationResult & {
    /** Passes that threw (a bug or a store failure), first few only. */
    passErrors: { minute: number; message: string }[];
    /** AWS API calls of the trace's passes (the metrics call excluded: it is made before a pass counts). */
    apiCalls: number;
  }
> {
  const seed = options.seed ?? 1;
  const { account, clients } = createSimulatedAws({ seed });
  attachTrafficModel(account);
  const input = withSimulatedDns(account, options.spec);
  const spec = validSpec(input);
  const stack = spec.stack;
  const store = new InMemoryStateStore(() => account.now());
  await store.putSpec(input);
  // The tasks' capacity in the traffic model is the spec's, as in the SLO of the baselines.
  setStackCapacity(account, stack, spec.fargate.targetRequestsPerTask);

  const jitter = createRandomState(seed);
  const reconciler: ReconcilerOptions = {
    store,
    clients,
    region: account.region,
    kinds: options.kinds ?? ALL_RESOURCES,
    holder: HOLDER,
    now: () => account.now(),
    monotonic: () => account.now(),
    random: () => nextRandom(jitter),
    ...(ceilingsConcerning(spec).length > 0 ? { systemRecord: async () => installationAllowing(spec) } : {}),
  };
  const passErrors: { minute: number; message: string }[] = [];
  let apiCalls = 0;
  const measured = { up: [] as number[], down: [] as number[] };
  const pass = async (minute: number) => {
    const up = mean(measured.up);
    const down = mean(measured.down);
    const moves =
      up === undefined && down === undefined
        ? undefined
        : {
            scaleUpMinutes: up ?? DEFAULT_MOVES.scaleUpMinutes,
            scaleDownMinutes: down ?? DEFAULT_MOVES.scaleDownMinutes,
          };
    const result = await reconcileAll(reconciler, {
      parallelism: 1,
      prepareDecide: prepareAutoDecide({ clients, now: () => account.now(), ...(moves ? { moves } : {}) }),
    });
    for (const r of result.results) if (minute >= 0) apiCalls += r.calls.total;
    for (const error of result.errors) {
      if (passErrors.length < MAX_REPORTED_ERRORS) passErrors.push({ minute, message: error.message });
    }
    return result.results[0];
  };

  // Build the stack (its Lambda tier, DNS) before the trace starts: the day is what is measured, not the
  // first deployment. No traffic is set yet, so the decider sees none and stays on Lambda.
  const warmUpEnd = account.now() + (options.warmUpMinutes ?? 60) * MINUTE_MS;
  for (;;) {
    const result = await pass(-1);
    if ((result?.settled && result.phase === 'Lambda') || account.now() >= warmUpEnd) break;
    account.advance(Math.max(5_000, result?.requeueAfterMs ?? MINUTE_MS));
  }
  toNextMinute(account);

  const startMinute = account.minute();
  setTraffic(account, options.trace, { stack });
  const initialPhase: Phase = (await store.get(stack))?.status?.phase ?? 'Pending';
  const total = options.trace.rows.length;
  const snapshots: PassSnapshot[] = [];
  const albByMinute: boolean[] = [];
  for (let minute = 0; minute < total; minute++) {
    await pass(minute);
    const status = (await store.get(stack))?.status;
    options.onPass?.(minute, status);
    snapshots.push({
      minute,
      phase: status?.phase ?? 'Pending',
      reason: String(status?.reason ?? status?.lastDecision?.reason ?? ''),
    });
    const transitions = phaseTransitions(initialPhase, snapshots.slice(-2));
    if (transitions.length > 0) {
      // Measured as they happen, so that later decisions weigh the moves this run actually sees.
      const all = phaseTransitions(initialPhase, snapshots);
      measured.up = moveDurations(all, 'ScalingUp', 'Fargate');
      measured.down = moveDurations(all, 'ScalingDown', 'Lambda');
    }
    toNextMinute(account);
    albByMinute.push(albExists(account, stack));
    options.onMinute?.(minute + 1, total);
  }

  return {
    ...report(account, options.trace, spec, startMinute, snapshots, albByMinute, initialPhase),
    passErrors,
    apiCalls,
  };
}

function report(
  account: SimAccount,
  trace: Trace,
  spec: DesiredState,
  startMinute: number,
  snapshots: readonly PassSnapshot[],
  albByMinute: readonly boolean[],
  initialPhase: Phase,
): SimulationResult {
  const total = trace.rows.length;
  const inRun = (minute: number) => minute >= startMinute && minute < startMinute + total;
  const log = trafficLog(account, spec.stack).filter((e) => inRun(e.minute));
  const byMinute = new Map(log.map((e) => [e.minute - startMinute, e]));
  const cost = { total: 0, lambda: 0, fargate: 0 };
  for (const m of costByMinute(account)) {
    if (!inRun(m.minute)) continue;
    cost.total += m.total;
    cost.lambda += m.lambda;
    cost.fargate += m.fargate;
  }

  const timeline: TimelineEntry[] = trace.rows.map((row, minute) => {
    const entry = byMinute.get(minute);
    return {
      minute,
      rps: row.rps,
      durationMs: row.durationMs,
      phase: snapshots[minute]?.phase ?? initialPhase,
      fargateShare: entry ? round(fargateShare(entry), 3) : 0,
      albExists: albByMinute[minute] ?? false,
      tasks: entry?.tasks ?? 0,
      cost: round(entry?.cost ?? 0, 7),
      ...(entry && unrouted(entry) ? { unrouted: round(entry.unrouted, 1) } : {}),
      ...(entry && violated(entry) ? { sloViolated: true } : {}),
    };
  });

  const transitions = phaseTransitions(initialPhase, snapshots);
  const scaleUpMinutes = moveDurations(transitions, 'ScalingUp', 'Fargate');
  const scaleDownMinutes = moveDurations(transitions, 'ScalingDown', 'Lambda');
  const moves = {
    scaleUpMinutes: mean(scaleUpMinutes) ?? DEFAULT_MOVES.scaleUpMinutes,
    scaleDownMinutes: mean(scaleDownMinutes) ?? DEFAULT_MOVES.scaleDownMinutes,
  };
  const lambdaOnly = alwaysLambda(trace, spec);
  const fargateOnly = alwaysFargate(trace, spec);
  // Like for like: the run starts a new stack on Lambda, so the oracle does too.
  const best = oracle(trace, spec, { ...moves, start: 'Lambda' });
  const baseline = (r: { cost: number; sloViolationMinutes: number }) => ({
    cost: round(r.cost, 6),
    sloViolationMinutes: r.sloViolationMinutes,
  });

  return {
    stack: spec.stack,
    minutes: total,
    cost: { total: round(cost.total, 6), lambda: round(cost.lambda, 6), fargate: round(cost.fargate, 6) },
    sloViolationMinutes: log.filter(violated).length,
    unroutedMinutes: log.filter(unrouted).length,
    transitions,
    scaleUpMinutes,
    scaleDownMinutes,
    baselines: {
      alwaysLambda: baseline(lambdaOnly),
      alwaysFargate: baseline(fargateOnly),
      oracle: { ...baseline(best), ...moves },
    },
    timeline,
  };
}
