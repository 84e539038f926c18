/**
 * `lambdaflex bootstrap [--destroy]`: passes of the reconciler's step engine (observe → plan → apply)
 * over the system kinds until a pass finds nothing to do. Like a stack's pass it can die at any point;
 * running it again finishes the job, and once everything exists it makes no mutating call.
 */
import { countCalls, instrumentClients, type CallCounts } from '../aws/call-counter';
import type { AwsClients } from '../aws/clients';
import { guardCreateRetries } from '../aws/create-retries';
import { applyPlan } from '../engine/apply';
import { observe } from '../engine/observe';
import { planWanted } from '../engine/plan';
import type { Plan, PlanStep, RetryState, StepOutcome } from '../engine/types';
import { ResourceGraph } from '../engine/graph';
import {
  bootstrapResources,
  destroyResources,
  keptOnDestroy,
  SYSTEM_SPEC,
  type BootstrapSettings,
} from './kinds';
import { otherInstallationRefusal, servedTable } from './other-installation';
import { adoptLegacyInstallation } from './upgrade';
import { LedgerStore } from './ledger';
import { tableProofProblem } from './table-proof';
import { destroyRefusal, stacksLeft } from './stacks-left';

export interface BootstrapOptions extends BootstrapSettings {
  clients: AwsClients;
  region: string;
  destroy?: boolean;
  /** Time as AWS sees it (the simulated clock locally). */
  now: () => number;
  /** Lets time pass between passes (advances the simulated clock locally). */
  wait: (ms: number) => Promise<void>;
  maxPasses?: number;
  onStep?: (step: PlanStep, outcome: StepOutcome | { status: 'started' }) => void;
  onPlan?: (plan: Plan, pass: number) => void;
  /** A command as this run was typed (`lambdaflex --local …`), for advice the operator may paste. */
  command?: (rest: string) => string;
}

export interface BootstrapResult {
  passes: number;
  /** Resources found at the end, by key (ARN or id). */
  resources: Record<string, string | undefined>;
  calls: CallCounts;
}

/** Why bootstrap stopped without finishing: AWS's messages, step by step. */
export class BootstrapError extends Error {
  override name = 'BootstrapError';
  constructor(readonly problems: string[]) {
    super(`bootstrap could not finish:\n  ${problems.join('\n  ')}`);
  }
}

export async function runBootstrap(options: BootstrapOptions): Promise<BootstrapResult> {
  const served = await servedTable(options.clients).catch((error: unknown) => {
    throw new BootstrapError([error instanceof Error ? error.message : String(error)]);
  });
  const other = otherInstallationRefusal(options.region, options.tableName, served, options.destroy === true);
  if (other) throw new BootstrapError([other]);
  if (options.destroy) {
    const left = await stacksLeft(options.dynamodb, options.tableName);
    const refusal = destroyRefusal(options.tableName, left, options.command);
    if (refusal) throw new BootstrapError([refusal]);
  }
  const kinds = ResourceGraph.of(options.destroy ? destroyResources(options) : bootstrapResources(options));
  const kept = options.destroy ? keptOnDestroy(options) : new Set<string>();
  // What the plan may touch: every system kind to make, every one but those kept to destroy.
  const planned = kinds.restrict(kinds.topological().flatMap((k) => (kept.has(k.key) ? [] : [k.key])));
  // The creates AWS does not deduplicate (a policy's new version) are sent once, as in a stack's pass.
  guardCreateRetries(options.clients);
  // The DynamoDB client is counted like the others (its calls show up as dynamodb:Operation).
  instrumentClients({ ...options.clients, dynamodb: options.dynamodb } as unknown as AwsClients);
  const base = { clients: options.clients, spec: SYSTEM_SPEC, region: options.region, now: options.now };
  const retries: Record<string, RetryState> = {};
  const ledgerStore = new LedgerStore(options.dynamodb, options.tableName);
  const maxPasses = options.maxPasses ?? 60;
  const { result, calls } = await countCalls(async () => {
    for (let pass = 1; pass <= maxPasses; pass++) {
      const observation = await observe(base, kinds);
      // A system record made before bootstrap recorded identities: what carries its tags is adopted
      // once, and the next pass proves everything by the identities recorded.
      const upgrade = await adoptLegacyInstallation(base, kinds, observation);
      if (upgrade === 'upgraded') continue;
      if (upgrade !== undefined) throw new BootstrapError([upgrade]);
      if (options.manageTable !== false) {
        const table = await tableProofProblem(observation, ledgerStore, options.destroy === true);
        if (table !== undefined) throw new BootstrapError([table]);
      }
      const plan = planWanted({
        spec: SYSTEM_SPEC,
        kinds: planned,
        wanted: new Set(options.destroy ? [] : planned.topological().map((k) => k.key)),
        observation,
        now: options.now(),
        unwantedBecause: () => 'bootstrap --destroy',
      });
      options.onPlan?.(plan, pass);
      // A destroy plans nothing for what is not bootstrap's; it stops on it all the same, before any
      // change, so that the operator learns what is left and why.
      const foreign = options.destroy
        ? Object.values(observation.resources).filter((r) => r?.foreign === true)
        : [];
      if (foreign.length > 0)
        throw new BootstrapError(
          foreign.map(
            (r) =>
              `${r!.key} (${r!.type}): ${r!.conflict ?? `${r!.id} is not tagged as bootstrap's`}; it is left alone`,
          ),
        );
      // Something of bootstrap's name it cannot prove its own (safety rule 3): left alone, and the run
      // stops here, naming it, before any other change.
      const conflicts = plan.steps.filter((step) => step.action === 'conflict');
      if (conflicts.length > 0)
        throw new BootstrapError(conflicts.map((step) => `${step.key} (${step.type}): ${step.reason}`));
      if (plan.steps.length === 0) {
        const resources = Object.fromEntries(
          Object.entries(observation.resources).map(([key, r]) => [key, r?.arn ?? r?.id]),
        );
        return { passes: pass, resources };
      }
      const applied = await applyPlan(plan, observation, { ...base, kinds, retries, onStep: options.onStep });
      const terminal = Object.entries(applied.outcomes)
        .filter(([, o]) => o.status === 'terminal')
        .map(([id, o]) => `${id}: ${'message' in o ? o.message : ''}`);
      if (terminal.length > 0) throw new BootstrapError(terminal);
      // Nothing is slow here but IAM propagation and the function's Pending state: seconds; or a queue
      // name SQS holds for 60 s after a delete (QueueDeletedRecently): then until the earliest retry.
      const outcomes = Object.values(applied.outcomes);
      const retryAts = outcomes.flatMap((o) => (o.status === 'backoff' ? [o.retryAt] : []));
      const onlyBackoffs =
        retryAts.length > 0 && outcomes.every((o) => o.status === 'backoff' || o.status === 'blocked');
      await options.wait(
        onlyBackoffs ? Math.max(2_000, Math.min(...retryAts) - options.now()) : applied.settled ? 0 : 2_000,
      );
    }
    throw new BootstrapError([`not finished after ${maxPasses} passes; run it again`]);
  });
  return { ...result, calls };
}
