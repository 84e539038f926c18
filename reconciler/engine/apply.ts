/**
 * Runs a plan's steps whose dependencies are done, several at once (bounded), within a time budget; each
 * AWS call waits for its token in the clients' call budget (aws/rate-budget.ts). Every step is idempotent: a create looks up by tag first, a delete of
 * something already gone is done. Errors are classified in one place (reconciler/aws/classify.ts):
 * retryable ones get a backoff recorded in `retries`, terminal ones end the step with AWS's message,
 * anything else (a bug, a dying process) is thrown.
 */
import type { AwsClients } from '../aws/clients';
import { TURN_COME_BACK_EARLY_MS, type TurnAnswer } from '../aws/rate-budget';
import { attemptsOf, awsMessage, classify, errorCode, refusedOnFirstAttempt } from '../aws/classify';
import type { DesiredState } from '../../spec/types';
import {
  CreateUnconfirmedError,
  NotCreatedHereError,
  RetriedCreateRefusedError,
} from '../resources/common/created-here';
import { DependencyNotThereError } from '../resources/common/dependency-not-there';
import { DEFAULT_INTENT, type Intent } from '../resources/intent';
import { TAG_NONCE } from '../../spec';
import type {
  AttributeChange,
  DeleteAnswer,
  ObservedResource,
  ResourceContext,
  ManagedResource,
  StackSpec,
} from '../resources/types';
import { concurrencyLimit, DEFAULT_CONCURRENCY } from '../concurrency';
import { backoffDelay } from './backoff';
import { comeBackAt, holdingStep, WAIT_REQUEUE_MS } from './come-back';
import { resourceGraph, type ResourceGraph } from './graph';
import { foundAgainById, judgeBy, recordJudged } from './observe';
import type { OwnershipLedger } from './ownership';
import { keysStepReads } from './transition-view';
import type { ApplyResult, Observation, Plan, PlanStep, RetryState, StepOutcome } from './types';

export interface ApplyOptions<S extends StackSpec = DesiredState> {
  clients: AwsClients;
  spec: S;
  region: string;
  /** The kinds the plan was made over: their graph, or a list (its graph is made once). */
  kinds: readonly ManagedResource<S>[] | ResourceGraph<ManagedResource<S>>;
  /** The decisions the plan was made with (DEFAULT_INTENT when absent): the verbs act on the same. */
  intent?: Intent;
  /** Time as AWS sees it (the simulated clock in tests). */
  now: () => number;
  /** Elapsed time of this pass, for the budget (real time by default). */
  elapsed?: () => number;
  budgetMs?: number;
  /** When the pass started, on the `elapsed` clock: the budget counts from there (default: now). */
  startedAt?: number;
  concurrency?: number;
  /** Retry state from the last pass, by step id; updated in place. */
  retries?: Record<string, RetryState>;
  random?: () => number;
  onStep?: (step: PlanStep, outcome: StepOutcome | { status: 'started' }) => void;
  /**
   * The stack's ownership records (engine/ownership.ts) and how to journal a create's intent before its
   * call. Without them (unit tests), finders are trusted and creates carry no nonce.
   */
  ownership?: { ledger: OwnershipLedger; journal: (key: string) => Promise<void> };
  /**
   * Keys the observation took from an earlier pass's view instead of asking AWS
   * (engine/transition-view.ts): no step acts on them, or on what depends on them, in this pass; it
   * waits for the next, which finds them again.
   */
  reused?: ReadonlySet<string>;
  /**
   * Keys the observation found again by id alone (engine/transition-view.ts `keysOnlyNamed`), their tags
   * the view's: a step that names one takes it as found; a step acting on one finds it in full first.
   */
  foundById?: ReadonlySet<string>;
  /**
   * When the observation was made (AWS's clock). A wait step that runs within WAIT_POLL_AFTER_MS of it
   * takes what the observation saw instead of asking AWS again the same second.
   */
  observedAt?: number;
  /**
   * Turns for the creates whose call AWS throttles in a category shared by the whole account (a kind's
   * `createAction`, aws/rate-budget.ts `turnFor`): absent, such a create takes its token at the call.
   */
  turns?: CreateTurns;
}

/** Where a create of a kind with `createAction` takes its turn (an execution environment's budget). */
export interface CreateTurns {
  turnFor(service: string, operation: string, holder: string): Promise<TurnAnswer | undefined>;
}

/** How old an observation may be before a wait step asks AWS again within the pass. */
export const WAIT_POLL_AFTER_MS = 5_000;

type Settled = 'done' | 'not-done';

export async function applyPlan<S extends StackSpec = DesiredState>(
  plan: Plan,
  observation: Observation,
  options: ApplyOptions<S>,
): Promise<ApplyResult> {
  const kinds = resourceGraph(options.kinds);
  const current: Observation = {
    resources: { ...observation.resources },
    unknown: { ...observation.unknown },
    duplicates: { ...observation.duplicates },
    foreign: { ...observation.foreign },
  };
  const retries = options.retries ?? {};
  const outcomes: Record<string, StepOutcome> = {};
  const settled = new Map<string, Settled>();
  const started = new Set<string>();
  const limit = concurrencyLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const startedAt = options.startedAt ?? (options.elapsed ?? Date.now)();
  const outOfTime = () =>
    options.budgetMs !== undefined && (options.elapsed ?? Date.now)() - startedAt >= options.budgetMs;
  let stoppedForTime = false;

  const finish = (step: PlanStep, outcome: StepOutcome) => {
    outcomes[step.id] = outcome;
    settled.set(step.id, outcome.status === 'done' ? 'done' : 'not-done');
    options.onStep?.(step, outcome);
  };

  /** How a resource found again in this pass is judged (the observation's way). */
  const judge = judgeBy(options.ownership?.ledger);

  const context = (): ResourceContext<S> => ({
    clients: options.clients,
    spec: options.spec,
    intent: options.intent ?? DEFAULT_INTENT,
    refs: current.resources,
    region: options.region,
    now: options.now,
    ...(options.ownership ? { ownership: options.ownership.ledger } : {}),
  });

  /** Keys still as the view had them: a step that found, made or changed one has seen it now. */
  const fromView = new Set(options.reused ?? []);
  /** Keys found by id alone and not in full since: a step acting on one finds it in full first. */
  const byIdOnly = new Set(options.foundById ?? []);
  /** Each key from the view looked at again once: whether AWS still shows what the plan was made on. */
  const lookedAgain = new Map<string, Promise<boolean>>();

  /**
   * A key from the view that a step is about to act on or read, found again first (a wait that ended in
   * this pass unblocked the step after the plan): true when AWS shows what the plan was made on.
   */
  const stillAsPlanned = (key: string): Promise<boolean> => {
    let answer = lookedAgain.get(key);
    if (!answer) {
      answer = (async () => {
        const kind = kinds.get(key);
        if (!kind) return false;
        const planned = JSON.stringify(current.resources[key] ?? null);
        try {
          const judged = judge(kind, await kind.find(context()));
          recordJudged(current, kind, judged);
          fromView.delete(key);
          byIdOnly.delete(key);
          return (
            judged.pending === undefined &&
            judged.duplicates.length === 0 &&
            judged.foreign.length === 0 &&
            JSON.stringify(judged.resource ?? null) === planned
          );
        } catch (error) {
          if (classify(error, kind.errors) === 'fatal') throw error;
          // Not `unread`: only the observation's miss review reads it; unknown now, the key leaves the view.
          current.unknown[key] = `finding ${kind.type} (${key}): ${awsMessage(error)}`;
          fromView.delete(key);
          return false;
        }
      })();
      lookedAgain.set(key, answer);
    }
    return answer;
  };

  /** Keys from the view a step only names, found again by id alone once: still the one the plan saw. */
  const namedById = new Map<string, Promise<boolean>>();

  /**
   * A key from the view that a step only names (its dependency: it reads the id), found again by id alone
   * where its kind can (`findById`): the step needs it there, the one the plan saw, and ready. Anything
   * else, and any kind without it, is found in full (`stillAsPlanned`). It stays among the keys from the
   * view: a later step acting on it finds it in full first.
   */
  const stillNamedAsPlanned = (key: string): Promise<boolean> => {
    let answer = namedById.get(key);
    if (!answer) {
      answer = (async () => {
        const kind = kinds.get(key);
        if (kind && (await foundAgainById(kind, context(), current.resources[key]))) return true;
        return stillAsPlanned(key);
      })();
      namedById.set(key, answer);
    }
    return answer;
  };

  /**
   * When the step of the dependency `key` comes back (come-back.ts): a step that can't be made without it
   * waits as long. Its step has ended (the step is ordered after it); without one, a wait's usual time.
   */
  const dependencyComesBack = (key: string): number => {
    const dependency = plan.steps.find((s) => s.key === key && outcomes[s.id] !== undefined);
    const now = options.now();
    return dependency ? comeBackAt(dependency.id, outcomes, retries, now) : now + WAIT_REQUEUE_MS;
  };

  const runStep = async (step: PlanStep): Promise<void> => {
    const kind = kinds.get(step.key);
    if (!kind) throw new Error(`plan step ${step.id} names unknown resource kind ${step.key}`);
    const retry = retries[step.id];
    if (retry && retry.retryAt > options.now()) {
      finish(step, {
        status: 'backoff',
        reason: `retrying after ${retry.lastError}`,
        retryAt: retry.retryAt,
      });
      return;
    }
    const reads = step.action === 'wait' || step.action === 'conflict' ? [] : keysStepReads(step, kind);
    const again = reads.filter((k) => fromView.has(k) || (k === step.key && byIdOnly.has(k)));
    for (const key of again) {
      // Never act on what an earlier pass saw: found again, it must be what the plan was made on.
      const still = key === step.key ? stillAsPlanned(key) : stillNamedAsPlanned(key);
      if (!(await still)) {
        finish(step, {
          status: 'waiting',
          reason: `${key} is not as the plan saw it; the next pass plans again`,
        });
        return;
      }
    }
    options.onStep?.(step, { status: 'started' });
    try {
      const seenJustNow =
        options.observedAt !== undefined &&
        !(options.reused?.has(step.key) ?? false) &&
        options.now() - options.observedAt < WAIT_POLL_AFTER_MS;
      const outcome = await perform(
        step,
        kind,
        context(),
        current,
        options.ownership,
        seenJustNow,
        options.turns,
      );
      delete retries[step.id];
      finish(step, outcome);
    } catch (error) {
      finish(step, failure(step, kind, error, retries, options, dependencyComesBack));
    } finally {
      fromView.delete(step.key);
    }
  };

  /** Create steps whose resource AWS answered in a state that usually ends within seconds, looked at again. */
  const lookedAgainOnce = new Set<string>();
  /** Those of them a pending step needs: looked at once more when nothing else can run. */
  const lookAgainSoon = new Set<string>();

  /**
   * Whether the step `depId` created a resource of a kind that is usually ready moments after its create
   * (`readySoonAfterCreate`) and is waiting for it, not looked at again yet: the steps that need it are
   * not given up before it is (`lookAgain`).
   */
  const worthLookingAgain = (depId: string): boolean => {
    if (lookedAgainOnce.has(depId) || outcomes[depId]?.status !== 'waiting') return false;
    const dep = plan.steps.find((s) => s.id === depId);
    const made = dep && current.resources[dep.key];
    if (dep?.action !== 'create' || !kinds.get(dep.key)?.readySoonAfterCreate || !made || made.foreign)
      return false;
    lookAgainSoon.add(depId);
    return true;
  };

  /**
   * The resource of the create step `depId`, found again once: seen ready, the same one as created and
   * the stack's, the step is done and what needs it runs in this pass; anything else (still pending, not
   * visible yet, a failed look-up) leaves it waiting, as it was, and never reads as absent.
   */
  const lookAgain = async (depId: string): Promise<void> => {
    lookedAgainOnce.add(depId);
    const dep = plan.steps.find((s) => s.id === depId)!;
    const kind = kinds.get(dep.key)!;
    const made = current.resources[dep.key];
    try {
      const judged = judge(kind, await kind.find(context()));
      const found = judged.resource;
      if (!found?.ready || found.foreign || found.id !== made?.id || judged.pending !== undefined) return;
      recordJudged(current, kind, judged);
      finish(dep, { status: 'done' });
    } catch (error) {
      if (classify(error, kind.errors) === 'fatal') throw error;
    }
  };

  const pending = () => plan.steps.filter((s) => !started.has(s.id));
  const running = new Set<Promise<void>>();
  /** A fatal error (a bug, a dying process): no step starts after it. */
  let fatal: { error: unknown } | undefined;

  /**
   * Blocks the steps a dependency failed, and hands the steps whose dependencies are all done (and whose
   * `after` steps have all ended, however) to the concurrency limit, in plan order; each one that ends
   * schedules again.
   */
  const schedule = () => {
    for (let changed = true; changed;) {
      changed = false;
      // Steps whose dependency did not finish can't run in this pass (and may block others in turn).
      for (const step of pending()) {
        // A dependency usually ready moments after its create is looked at again before giving up on it.
        const failedDep = step.dependsOn.find(
          (dep) => settled.get(dep) === 'not-done' && !worthLookingAgain(dep),
        );
        if (failedDep) {
          started.add(step.id);
          finish(step, {
            status: 'blocked',
            reason: `waits for ${failedDep}: ${describe(outcomes[failedDep])}`,
            heldBy: holdingStep(failedDep, outcomes),
          });
          changed = true;
        }
      }
    }
    if (stoppedForTime || fatal) return;
    for (const step of pending()) {
      if (!step.dependsOn.every((dep) => settled.get(dep) === 'done')) continue;
      // An order, not a need: whatever the step before ended with, it has ended.
      if (!(step.after ?? []).every((dep) => settled.has(dep))) continue;
      started.add(step.id);
      const task = limit(async () => {
        if (!fatal && !stoppedForTime && outOfTime()) stoppedForTime = true;
        // Its turn came too late: left unstarted, it is reported below as blocked.
        if (fatal || stoppedForTime) started.delete(step.id);
        else await runStep(step);
      }).then(schedule, (error: unknown) => {
        fatal ??= { error };
      });
      running.add(task);
      void task.finally(() => running.delete(task));
    }
  };

  schedule();
  // A fatal error ends the pass, but only once the steps already started have ended: none may go on
  // calling AWS after the pass has released its lease.
  for (;;) {
    while (running.size > 0) await Promise.all(running);
    // Nothing else can run: the resources created moments ago that steps still need are looked at again,
    // each once, and what they unblock runs.
    const again = [...lookAgainSoon].filter((id) => !lookedAgainOnce.has(id));
    if (fatal || stoppedForTime || again.length === 0) break;
    if (outOfTime()) {
      stoppedForTime = true;
      break;
    }
    try {
      await Promise.all(again.map((id) => limit(() => lookAgain(id))));
    } catch (error) {
      fatal ??= { error };
      break;
    }
    schedule();
  }
  if (fatal) throw fatal.error;

  for (const step of pending()) {
    finish(step, {
      status: 'blocked',
      reason: stoppedForTime ? 'the pass ran out of time' : 'its dependencies did not finish',
    });
  }

  // Retry state of steps no longer in the plan (the mode flipped, another path did the work) is stale:
  // kept, it would make the stack come back for a retry that will never run.
  const planned = new Set(plan.steps.map((s) => s.id));
  for (const id of Object.keys(retries)) if (!planned.has(id)) delete retries[id];

  const allDone = plan.steps.every((s) => outcomes[s.id]?.status === 'done');
  return { outcomes, observation: current, settled: allDone, outOfTime: stoppedForTime };
}

async function perform<S extends StackSpec>(
  step: PlanStep,
  kind: ManagedResource<S>,
  ctx: ResourceContext<S>,
  current: Observation,
  ownership: ApplyOptions<S>['ownership'],
  /** The observation saw the step's key a moment ago: a wait need not ask again. */
  seenJustNow = false,
  turns?: CreateTurns,
): Promise<StepOutcome> {
  const ledger = ownership?.ledger;
  const judge = judgeBy(ledger);
  const record = (observed: ObservedResource | undefined): StepOutcome => {
    current.resources[kind.key] = observed;
    delete current.unknown[kind.key];
    if (!observed) return { status: 'done' };
    return observed.ready
      ? { status: 'done' }
      : {
          status: 'waiting',
          reason: observed.notReadyReason ?? `${kind.key} not ready`,
          ...(observed.readyExpectedAt !== undefined ? { until: observed.readyExpectedAt } : {}),
        };
  };
  /** The finder's answer, judged; what is not the stack's is kept out of `current.resources`. */
  const findJudged = async () => {
    const judged = judge(kind, await kind.find(ctx));
    recordJudged(current, kind, judged);
    return judged;
  };

  switch (step.action) {
    case 'create': {
      // Look up right before creating: a create made since the observation (or not visible to it) counts.
      const existing = await findJudged();
      if (existing.resource?.foreign) {
        const inTheWay =
          existing.resource.conflict ??
          `${existing.resource.id} has this stack's name but is not proven the stack's (no tag, or copied tags and no record)`;
        return { status: 'conflict', message: `${inTheWay}; refusing to touch it` };
      }
      if (existing.resource) return record(existing.resource);
      if (existing.pending !== undefined) return { status: 'waiting', reason: existing.pending };
      // A call the whole account makes one at a time (CreateLoadBalancer: one every 5 s): its turn first.
      // One further off than a pass waits is kept for the stack, which comes back for it; nothing is
      // journaled or sent meanwhile.
      const turn =
        kind.createAction && turns
          ? await turns.turnFor(kind.service, kind.createAction, ctx.spec.stack)
          : undefined;
      if (turn && !turn.go) {
        return {
          status: 'waiting',
          reason: `creating ${kind.type} (${kind.key}): the account's turn for ${kind.createAction} comes at ${new Date(turn.at).toISOString()}`,
          until: turn.at - TURN_COME_BACK_EARLY_MS,
        };
      }
      const make = () => createJournaled(kind, ctx, ownership);
      try {
        return record(await (turn ? turn.within(make) : make()));
      } catch (error) {
        // AWS answered with a resource this create did not make, or whose making is not confirmed yet:
        // nothing is recorded, and the next pass looks again.
        if (error instanceof NotCreatedHereError) return { status: 'conflict', message: error.message };
        if (error instanceof CreateUnconfirmedError) return { status: 'waiting', reason: error.message };
        if (error instanceof RetriedCreateRefusedError) {
          return { status: 'waiting', reason: `creating ${kind.type} (${kind.key}): ${error.message}` };
        }
        throw error;
      }
    }
    case 'update': {
      const observed = ctx.refs[kind.key];
      if (!observed || !kind.update) return record((await findJudged()).resource);
      const updated = await updateJournaled(kind, ctx, observed, step.changes ?? [], ownership);
      ledger?.updated(kind.key, updated);
      return record(updated);
    }
    case 'delete': {
      if (step.target !== undefined) return deleteDuplicate(step.target, kind, ctx, current, ledger);
      const observed = ctx.refs[kind.key];
      if (observed) {
        const answer = await deleteJournaled(kind, ctx, observed, ownership);
        // Some deletes only start one (an ECS service drains first): what depends on the resource waits
        // for it to be gone instead of collecting DependencyViolation or ClusterContainsServices answers.
        // A kind that answers what it left (a Route 53 change PENDING) is taken at its word.
        const after = answer ? answer.left : (await findJudged()).resource;
        if (after && !after.foreign) {
          current.resources[kind.key] = after;
          return {
            status: 'waiting',
            reason: `${kind.key} is still being deleted (${after.state ?? 'still listed'})`,
          };
        }
        ledger?.deleted(kind.key, observed);
      }
      current.resources[kind.key] = undefined;
      return { status: 'done' };
    }
    case 'wait': {
      if (seenJustNow && !(kind.key in current.unknown)) {
        // The observation has just seen it: asking again the same second would only spend the budget.
        const observed = current.resources[kind.key];
        if (step.waitUntil === 'gone') {
          return observed
            ? { status: 'waiting', reason: step.waitsFor ?? `${kind.key} to be gone` }
            : { status: 'done' };
        }
        if (!observed)
          return { status: 'waiting', reason: `${kind.key} disappeared; the next pass creates it again` };
        return record(observed);
      }
      // A short poll within the pass; a longer wait is the next pass's business.
      const found = await kind.find(ctx);
      const unseen = kind.dependsOn.find((dep) => dep in current.unknown);
      if (!found && unseen !== undefined) {
        // Found through a dependency that is still unknown: nothing found says nothing (unknown is not absent).
        return { status: 'waiting', reason: `${kind.key}: its dependency ${unseen} could not be observed` };
      }
      const judged = judge(kind, found);
      recordJudged(current, kind, judged);
      const observed = judged.resource;
      if (judged.pending !== undefined) return { status: 'waiting', reason: judged.pending };
      if (step.waitUntil === 'gone') {
        return observed
          ? { status: 'waiting', reason: step.waitsFor ?? `${kind.key} to be gone` }
          : { status: 'done' };
      }
      if (!observed)
        return { status: 'waiting', reason: `${kind.key} disappeared; the next pass creates it again` };
      return record(observed);
    }
    case 'conflict':
      // Something not ours in the way is looked at again next pass; a change the spec must undo is terminal.
      return step.inTheWay !== undefined
        ? { status: 'conflict', message: step.reason }
        : { status: 'terminal', message: step.reason };
  }
}

/**
 * Creates after journaling the intent (kinds with `creates`): the nonce is in the record before AWS is
 * asked, so a pass dying before the answer leaves proof and a reason to look before creating again. An
 * error answer from AWS means nothing was made: the intent goes. A fault that leaves it unknown (a
 * crash, a timeout, a 5xx) keeps it.
 */
async function createJournaled<S extends StackSpec>(
  kind: ManagedResource<S>,
  ctx: ResourceContext<S>,
  ownership: ApplyOptions<S>['ownership'],
): Promise<ObservedResource> {
  if (!ownership || !kind.creates) return kind.create(ctx);
  const { ledger, journal } = ownership;
  const nonce = ledger.intend(kind);
  await journal(kind.key);
  let answered: string | undefined;
  try {
    const created = await kind.create({ ...ctx, nonce, answered: (id) => (answered = id) });
    // An idempotent create may answer with what an earlier create of the stack's made, under its nonce.
    const made = created.tags[TAG_NONCE] ?? nonce;
    ledger.created(kind.key, created.id, made);
    if (made !== nonce) ledger.refused(kind.key, nonce);
    return created;
  } catch (error) {
    // Answered with someone else's resource: nothing was made under this nonce (an SDK retry of a call
    // that did make ours would have been answered with ours).
    if (error instanceof NotCreatedHereError) ledger.refused(kind.key, nonce);
    // The resource exists when the create call answered, whatever failed after it in the same create.
    else if (answered !== undefined) ledger.created(kind.key, answered, nonce);
    // A create refused by AWS is not waited for (its nonce is remembered, proving only a resource
    // carrying it: not a role someone made by hand with copies of our tags just before our create,
    // which its 'EntityAlreadyExists' names). A 'client-token' intent stays awaited: its token brings
    // back what an earlier call made.
    else if (kind.creates !== 'client-token' && refusedOnFirstAttempt(error)) ledger.refused(kind.key, nonce);
    // A refusal heard by a retried attempt may be the first attempt's doing: not final.
    else if (classify(error, kind.errors) === 'terminal' && attemptsOf(error) > 1)
      throw new RetriedCreateRefusedError(kind.key, awsMessage(error));
    throw error;
  }
}

/**
 * An update that makes a new resource in place of the one in use (`updateCreates`: a task definition's
 * new revision) is journaled as a create is: a pass dying before its answer leaves a resource the next
 * pass finds in use, and only the nonce proves it the stack's rather than a copy of its tags.
 */
async function updateJournaled<S extends StackSpec>(
  kind: ManagedResource<S>,
  ctx: ResourceContext<S>,
  current: ObservedResource,
  changes: AttributeChange[],
  ownership: ApplyOptions<S>['ownership'],
): Promise<ObservedResource> {
  if (!ownership || !kind.update || !kind.updateCreates?.(changes))
    return kind.update!(ctx, current, changes);
  const { ledger, journal } = ownership;
  const nonce = ledger.intend(kind);
  await journal(kind.key);
  try {
    const updated = await kind.update({ ...ctx, nonce }, current, changes);
    if (updated.id !== current.id) ledger.replaced(kind.key, updated.id, nonce);
    else ledger.refused(kind.key, nonce);
    return updated;
  } catch (error) {
    if (refusedOnFirstAttempt(error)) ledger.refused(kind.key, nonce);
    throw error;
  }
}

/**
 * Deletes the resource in use after journaling that the stack sends its delete (`deleteSentAt`): a pass
 * dying before the answer leaves the mark, so that the resource, missed by the next passes, is known gone
 * by the stack's own hand and its listing by the Tagging API's index, which lags a delete by minutes to
 * hours, holds nothing (engine/missed-but-listed.ts). A refusal heard on the call's first attempt (the
 * resource in use, DependencyViolation) deleted nothing: the mark goes. Any other error may hide a delete
 * that happened (a 5xx, or a 4xx heard by the SDK's retry of it): the mark stays.
 */
async function deleteJournaled<S extends StackSpec>(
  kind: ManagedResource<S>,
  ctx: ResourceContext<S>,
  observed: ObservedResource,
  ownership: ApplyOptions<S>['ownership'],
): Promise<void | DeleteAnswer> {
  // Journaled when new; one an earlier pass left (it died before the answer, a service draining) is on record.
  if (ownership?.ledger.deleting(kind.key, observed)) await ownership.journal(kind.key);
  try {
    return await kind.delete(ctx, observed);
  } catch (error) {
    if (refusedOnFirstAttempt(error)) ownership?.ledger.deleteRefused(kind.key, observed.id);
    throw error;
  }
}

/** Deletes one of the stack's duplicates (a create made twice); the resource in use is untouched. */
async function deleteDuplicate<S extends StackSpec>(
  id: string,
  kind: ManagedResource<S>,
  ctx: ResourceContext<S>,
  current: Observation,
  ledger: OwnershipLedger | undefined,
): Promise<StepOutcome> {
  const duplicates = current.duplicates?.[kind.key] ?? [];
  const duplicate = duplicates.find((d) => d.id === id);
  if (duplicate) {
    await kind.delete(ctx, duplicate);
    ledger?.deleted(kind.key, duplicate);
    const left = duplicates.filter((d) => d !== duplicate);
    if (left.length > 0) current.duplicates![kind.key] = left;
    else delete current.duplicates![kind.key];
  }
  return { status: 'done' };
}

function failure<S extends StackSpec>(
  step: PlanStep,
  kind: ManagedResource<S>,
  error: unknown,
  retries: Record<string, RetryState>,
  options: ApplyOptions<S>,
  /** When the step of a dependency (by key) comes back. */
  dependencyComesBack: (key: string) => number,
): StepOutcome {
  const message = `${verbing(step)} ${kind.type} (${step.key}): ${awsMessage(error)}`;
  if (error instanceof DependencyNotThereError) {
    // It waits for its dependency's step to make it: it comes back when that step does (a retry, a wait's
    // usual time, or the conflict's interval when what is at the dependency's name is not the stack's).
    return { status: 'waiting', reason: message, until: dependencyComesBack(error.dependency) };
  }
  const verdict = classify(error, kind.errors);
  if (verdict === 'fatal') throw error;
  if (verdict === 'notFound' && step.action === 'delete') return { status: 'done' };
  if (verdict === 'terminal') return { status: 'terminal', code: errorCode(error), message };
  // retryable, or not-found while creating or updating (eventual consistency of a dependency).
  const attempts = (retries[step.id]?.attempts ?? 0) + 1;
  // Refused while the service was busy with an earlier request: not too often, so no growing wait.
  const busy = kind.errors.busy?.includes(errorCode(error) ?? '') ?? false;
  retries[step.id] = {
    attempts,
    retryAt: options.now() + backoffDelay(busy ? 1 : attempts, { random: options.random }),
    lastError: message,
  };
  return { status: 'retryable', code: errorCode(error), message };
}

function verbing(step: PlanStep): string {
  return {
    create: 'creating',
    update: 'updating',
    delete: 'deleting',
    wait: 'waiting for',
    conflict: 'checking',
  }[step.action];
}

function describe(outcome: StepOutcome | undefined): string {
  if (!outcome) return 'not run';
  switch (outcome.status) {
    case 'done':
      return 'done';
    case 'waiting':
    case 'blocked':
    case 'backoff':
      return outcome.reason;
    case 'retryable':
    case 'terminal':
    case 'conflict':
      return outcome.message;
  }
}
