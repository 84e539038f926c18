/**
 * Scenarios: a stack between tiers starts each pass from what its last pass saw of the resources it did
 * not touch (reconciler/engine/transition-view.ts), and asks AWS only about what it waits for, what it is
 * about to act on and what moves on its own. What was reused must never be acted on stale: a resource
 * deleted behind the stack's back while it moves is still seen, a pass that died leaves no view, and the
 * stack is called settled only by a full observation.
 */
import {
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteStageCommand } from '@aws-sdk/client-apigatewayv2';
import { GetPolicyCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { clientsFor } from '../../aws-sim';
import { stackRoleName } from '../../reconciler/iam/arns';
import { ownershipTagList } from '../../spec';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import type { StepOutcome } from '../../reconciler/engine/types';
import type { PassResult } from '../../reconciler/reconcile';
import { names } from '../../spec';
import { beforeEveryCall } from './call-hooks';
import { fargateTier, scenario, specInput, STACK, type Scenario } from './harness';

/** The status's lastPlan steps (typed loosely in the record). */
function lastPlanSteps(lastPlan: unknown): { id: string; outcome?: StepOutcome }[] {
  return (lastPlan as { steps?: { id: string; outcome?: StepOutcome }[] } | undefined)?.steps ?? [];
}

/** A pass, with how it observed and what became of each step (the status's lastPass and lastPlan). */
type Pass = PassResult & { observedBy?: string; outcomes: Record<string, StepOutcome | undefined> };

async function pass(s: Scenario): Promise<Pass | 'crashed'> {
  const result = await s.pass();
  if (result === 'crashed') return result;
  const status = (await s.store.get(STACK))?.status;
  const observedBy = status?.lastPass?.observedBy;
  const outcomes = Object.fromEntries(lastPlanSteps(status?.lastPlan).map((step) => [step.id, step.outcome]));
  return { ...result, outcomes, ...(observedBy ? { observedBy } : {}) };
}

/**
 * Passes, the clock moved by what each asks for (or by `everyMs`: passes sent more often than the stack
 * asks, as a `lambdaflex reconcile` or an edit would), until `stop` holds for one (or the stack settles).
 */
async function passesUntil(
  s: Scenario,
  stop: (p: Pass) => boolean,
  max = 80,
  everyMs?: number,
): Promise<Pass[]> {
  const seen: Pass[] = [];
  for (let i = 0; i < max; i++) {
    const result = await pass(s);
    if (result !== 'crashed') {
      seen.push(result);
      if (stop(result) || result.settled) return seen;
    }
    const asked = result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000);
    s.account.advance(everyMs ?? asked);
  }
  throw new Error(`no pass met the condition in ${max} passes`);
}

const steps = (p: Pass) => (p.plan?.steps ?? []).map((step) => step.id);
const reads = (p: Pass) => p.calls.total - p.calls.mutating;
const called = (p: Pass, operation: string) => p.calls.byOperation[operation] ?? 0;
/** A pass whose only step that ran waited for the ALB (everything else blocked behind it). */
const waitsOnAlbOnly = (p: Pass) =>
  p.outcomes['wait:alb']?.status === 'waiting' &&
  Object.entries(p.outcomes).every(([id, o]) => id === 'wait:alb' || o?.status === 'blocked');

/**
 * A stack settled on the Lambda tier, then switched to Fargate. `indexCurrent`: the Tagging API lists what
 * exists at once (no lag), for the tests that count a settling observation's calls or the view it keeps,
 * which a resource made in the last minute and not listed yet would otherwise withhold.
 */
async function switching(indexCurrent = false): Promise<Scenario> {
  const s = scenario({ seed: 11, ...(indexCurrent ? { taggingLag: false } : {}) });
  await s.apply(specInput({ mode: 'lambda' }));
  await s.settle();
  await s.apply(specInput({ mode: 'fargate' }));
  return s;
}

describe('a stack between tiers', () => {
  it('comes back when a new ALB is usually active, and new tasks usually serving, not every 15 s while they start', async () => {
    const s = await switching();
    const seen = await passesUntil(s, () => false, 120);
    expect(seen.at(-1)!.settled).toBe(true);
    // The pass whose create of the ALB was answered (it is provisioning).
    const created = seen.findIndex((p) => p.outcomes['create:alb']?.status === 'waiting');
    expect(created).toBeGreaterThan(0);
    // Three minutes after the create (the pass's duration aside), and the ALB is active by then.
    expect(seen[created]!.requeueAfterMs).toBeGreaterThan(170_000);
    expect(seen[created]!.requeueAfterMs).toBeLessThanOrEqual(180_000);
    expect(seen.filter(waitsOnAlbOnly)).toEqual([]);
    // Likewise the ECS service's first tasks: running in 45 s, then two health checks.
    const service = seen.findIndex((p) => p.outcomes['create:service']?.status === 'waiting');
    expect(service).toBeGreaterThan(created);
    expect(seen[service]!.requeueAfterMs).toBeGreaterThan(45_000);
    expect(seen[service]!.requeueAfterMs).toBeLessThanOrEqual(55_000);
    await s.expectPlansNothing();
  });

  it('asks AWS only about what it waits on, acts on and what moves on its own, then settles on a full observation', async () => {
    const s = await switching(true);
    const seen = await passesUntil(s, () => false, 120, 15_000);
    const last = seen.at(-1)!;
    expect(last.settled).toBe(true);
    expect(last.phase).toBe('Fargate');
    // The edit's pass takes what the Tagging API can't see from the settled snapshot, and finds the rest;
    // the passes of the switch after it start from the view.
    expect(seen[0]!.observedBy).toBe('view');
    // It lists no inventory (it acts, so it leaves no snapshot); the settling pass does, for its snapshot.
    expect(called(seen[0]!, 'tagging:GetResources')).toBe(0);
    expect(called(last, 'tagging:GetResources')).toBe(1);
    expect(seen.slice(1, -1).filter((p) => p.observedBy === 'view').length).toBeGreaterThan(5);
    // Only a full observation calls the stack settled.
    expect(last.observedBy).toBe('full');
    // A pass that only waits for the ALB to be active reads the ALB and the service (live), and none
    // of the stack's roles, functions or network.
    const albWaits = seen.filter((p) => p.observedBy === 'view' && waitsOnAlbOnly(p));
    expect(albWaits.length).toBeGreaterThan(3);
    for (const p of albWaits.slice(1)) {
      expect(called(p, 'iam:GetRole')).toBe(0);
      expect(called(p, 'ec2:DescribeSubnets')).toBe(0);
      expect(called(p, 'lambda:GetFunction')).toBe(0);
      expect(reads(p)).toBeLessThanOrEqual(4);
    }
    await s.expectPlansNothing();
  });

  it('settles on a full observation that does not ask again what the same pass read moments before', async () => {
    const s = await switching();
    const seen = await passesUntil(s, () => false, 120, 15_000);
    const last = seen.at(-1)!;
    expect(last.settled).toBe(true);
    expect(last.observedBy).toBe('full');
    // The pass read from the view what moves on its own (the target health, the service, its scaling),
    // found nothing left to do, and confirmed: those reads stand, once each (twice each before).
    expect(called(last, 'elbv2:DescribeTargetHealth')).toBe(1);
    expect(called(last, 'ecs:DescribeServices')).toBe(1);
    expect(called(last, 'autoscaling:DescribeScalableTargets')).toBe(1);
    expect(called(last, 'autoscaling:DescribeScalingPolicies')).toBe(1);
    // What the view held is asked for again (the target group, listed by the Tagging API).
    expect(called(last, 'elbv2:DescribeTargetGroups')).toBeGreaterThanOrEqual(1);
    await s.expectPlansNothing();
  });

  it('finds again by its ARN alone what a step only names (the ALB and target group of the scaling policy), never what it acts on', async () => {
    const s = await switching();
    const elbv2: { operation: string; input: Record<string, unknown> }[] = [];
    beforeEveryCall({ elbv2: s.clients.elbv2 }, 'elbv2Reads', (operation, input) => {
      elbv2.push({ operation, input });
    });
    const seen: (Pass & { elbv2: typeof elbv2 })[] = [];
    await passesUntil(s, (p) => {
      seen.push({ ...p, elbv2: elbv2.splice(0) });
      return false;
    });
    const policy = seen.find((p) => p.outcomes['create:scaling-policy']?.status === 'done')!;
    expect(policy.observedBy).toBe('view');
    const byOperation = (p: (typeof seen)[number]) => {
      const counts: Record<string, number> = {};
      for (const { operation } of p.elbv2) counts[operation] = (counts[operation] ?? 0) + 1;
      return counts;
    };
    // The listener the pass before made is taken as its create answered (CreateListener answers with
    // the listener in full); the service's target health is live; the ALB and the target group the
    // policy names are described by ARN, their tags not read again.
    expect(byOperation(policy)).toEqual({
      DescribeTargetHealth: 1,
      DescribeLoadBalancers: 1,
      DescribeTargetGroups: 1,
    });
    const record = (await s.store.get(STACK))!.status!.resources;
    expect(policy.elbv2.find((c) => c.operation === 'DescribeTargetGroups')!.input).toEqual({
      TargetGroupArns: [record['tg']!.id],
    });
    expect(policy.elbv2.find((c) => c.operation === 'DescribeLoadBalancers')!.input).toEqual({
      LoadBalancerArns: [record['alb']!.id],
    });
    expect(seen.at(-1)!.settled).toBe(true);
    await s.expectPlansNothing();
  });

  it('reads in full, tags included, a target group a step acts on: changed by hand during the switch, it is updated after a fresh look-up', async () => {
    const s = await switching();
    await passesUntil(s, (p) => p.outcomes['create:listener-http']?.status === 'done', 80);
    const tg = (await s.store.get(STACK))!.status!.resources['tg']!;
    await s.clients.elbv2.send(
      new ModifyTargetGroupCommand({ TargetGroupArn: tg.id, HealthCheckIntervalSeconds: 30 }),
    );
    const elbv2: string[] = [];
    beforeEveryCall({ elbv2: s.clients.elbv2 }, 'elbv2Reads', (operation, input) => {
      if (JSON.stringify(input).includes(tg.id)) elbv2.push(operation);
    });
    const seen = await passesUntil(s, (p) => p.outcomes['update:tg']?.status === 'done', 80, 15_000);
    const updating = seen.at(-1)!;
    expect(updating.outcomes['update:tg']?.status).toBe('done');
    // Before the update: the group by name, its tags, its attributes (the full finder).
    const before = elbv2.slice(0, elbv2.indexOf('ModifyTargetGroup'));
    expect(before).toEqual(expect.arrayContaining(['DescribeTags', 'DescribeTargetGroupAttributes']));
    const rest = await passesUntil(s, () => false, 120);
    expect(rest.at(-1)!.settled).toBe(true);
    await s.expectPlansNothing();
  });

  it('takes a listener as its create answered until the settling observation, which sees it changed by hand and puts it back', async () => {
    const s = await switching();
    const made = await passesUntil(s, (p) => p.outcomes['create:listener-http']?.status === 'done', 80);
    const listener = made.at(-1)!;
    expect(listener.observedBy).toBe('view');
    const arn = (await s.store.get(STACK))!.status!.resources['listener-http']!.id;
    // Someone points the new listener elsewhere (a fixed answer) right after its create.
    await s.clients.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: arn,
        DefaultActions: [
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain' } },
        ],
      }),
    );
    const seen = await passesUntil(s, () => false, 120);
    // Put back by an update after a look-up in full, before the stack is called settled.
    expect(seen.some((p) => p.outcomes['update:listener-http']?.status === 'done')).toBe(true);
    expect(seen.at(-1)!.settled).toBe(true);
    const { Listeners } = await s.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [arn] }));
    expect(Listeners![0]!.DefaultActions![0]!.Type).toBe('forward');
    await s.expectPlansNothing();
  });

  it('sees a dependency deleted behind its back before acting on it: the target group is made again, never referenced gone', async () => {
    const s = await switching();
    // Until the ALB is provisioning and the target group has been seen since it was made.
    await passesUntil(s, (p) => p.observedBy === 'view' && waitsOnAlbOnly(p), 80, 15_000);
    await passesUntil(s, (p) => p.observedBy === 'view' && waitsOnAlbOnly(p), 80, 15_000);
    const tgName = names(STACK).targetGroup;
    const { TargetGroups } = await s.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [tgName] }));
    const goneArn = TargetGroups![0]!.TargetGroupArn!;
    await s.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: goneArn }));

    const seen = await passesUntil(s, () => false, 120);
    expect(seen.some((p) => p.outcomes['create:tg']?.status === 'done')).toBe(true);
    // No step ever failed on the missing target group (a listener pointed at it would be refused).
    const failures = seen.flatMap((p) =>
      Object.values(p.outcomes).flatMap((o) =>
        o?.status === 'retryable' || o?.status === 'terminal' ? [o.message] : [],
      ),
    );
    expect(failures).toEqual([]);
    expect(seen.at(-1)!.settled).toBe(true);
    const record = await s.store.get(STACK);
    // The target group in use is a new one, and the listener forwards to it.
    const tg = record!.status!.resources['tg']!;
    expect(tg.id).not.toBe(goneArn);
    await s.expectPlansNothing();
  });

  it('is not called settled while something the Tagging API lists is missing: the settling observation finds it', async () => {
    const s = await switching();
    await passesUntil(s, (p) => p.observedBy === 'view' && waitsOnAlbOnly(p), 80, 15_000);
    await passesUntil(s, (p) => p.observedBy === 'view' && waitsOnAlbOnly(p), 80, 15_000);
    // The Lambda tier's API stage, which nothing of the switch touches, is deleted by hand.
    const stage = (await s.store.get(STACK))!.status!.resources['api-stage']!;
    const [apiId, stageName] = stage.id.split('/');
    await s.clients.apigatewayv2.send(new DeleteStageCommand({ ApiId: apiId, StageName: stageName }));

    const seen = await passesUntil(s, () => false, 120);
    expect(seen.some((p) => p.outcomes['create:api-stage']?.status === 'done')).toBe(true);
    expect(seen.at(-1)!.settled).toBe(true);
    await s.expectPlansNothing();
  });

  it('takes what the Tagging API can’t see from the view when settling, and finds it missing within 15 minutes of its read', async () => {
    const s = await switching(true);
    await passesUntil(s, (p) => p.observedBy === 'view' && waitsOnAlbOnly(p), 80, 15_000);
    await passesUntil(s, (p) => p.observedBy === 'view' && waitsOnAlbOnly(p), 80, 15_000);
    // The Lambda tier's API Gateway permission, which nothing of the switch touches, is removed by hand.
    const removedAt = s.account.now();
    const functionName = names(STACK).lambdaFunction;
    const { Policy } = await s.clients.lambda.send(new GetPolicyCommand({ FunctionName: functionName }));
    const sid = (JSON.parse(Policy!) as { Statement: { Sid: string }[] }).Statement[0]!.Sid;
    await s.clients.lambda.send(
      new RemovePermissionCommand({ FunctionName: functionName, StatementId: sid }),
    );

    const seen = await passesUntil(s, () => false, 120);
    const settling = seen.at(-1)!;
    expect(settling.settled).toBe(true);
    expect(settling.observedBy).toBe('full');
    // The roles, the permission, the routes: read earlier in the switch, not again.
    expect(called(settling, 'iam:GetRole')).toBe(0);
    expect(called(settling, 'lambda:GetPolicy')).toBe(0);
    const record = (await s.store.get(STACK))!;
    const snapshot = record.bookkeeping.observationSnapshot!;
    expect(snapshot.at).toBeLessThan(removedAt);

    // A settled stack's passes: the periodic full observation, due 15 minutes after the oldest read the
    // snapshot holds, finds the permission gone and makes it again.
    let madeAgainAt: number | undefined;
    for (let i = 0; i < 20 && madeAgainAt === undefined; i++) {
      s.account.advance(60_000);
      const p = await pass(s);
      if (p !== 'crashed' && p.outcomes['create:lambda-permission']?.status === 'done')
        madeAgainAt = s.account.now();
    }
    expect(madeAgainAt).toBeDefined();
    expect(madeAgainAt! - snapshot.at).toBeLessThanOrEqual(DEFAULT_FULL_OBSERVE_EVERY_MS + 60_000);
    await s.expectPlansNothing();
  });

  it('leaves no view when a pass dies while applying: the next pass observes in full', async () => {
    const s = await switching();
    await passesUntil(s, (p) => p.observedBy === 'view' && steps(p).includes('create:subnet-a'));
    expect((await s.store.get(STACK))?.bookkeeping.transitionView).toBeDefined();
    // The next pass acts (the route table, the ALB), and dies after its first change.
    s.account.advance(15_000);
    s.account.setFaults({ crashAfterMutatingCalls: 1 });
    expect(await pass(s)).toBe('crashed');
    s.account.setFaults({});
    expect((await s.store.get(STACK))?.bookkeeping.transitionView).toBeUndefined();
    const after = await pass(s);
    expect(after).not.toBe('crashed');
    expect((after as Pass).observedBy).toBe('full');
    const rest = await passesUntil(s, () => false, 120);
    expect(rest.at(-1)!.settled).toBe(true);
    await s.expectPlansNothing();
  });
});

describe('the pass that first sees an edit of a settled stack', () => {
  /**
   * A stack settled on Lambda, then, `idleMs` later, switched to Fargate; its passes until settled. The
   * Tagging API lists at once what exists: these tests are about the snapshot a settled stack keeps, which
   * a pass keeps only once everything it made is listed.
   */
  async function switchAfter(idleMs: number, before?: (s: Scenario) => Promise<void>) {
    const s = scenario({ seed: 11, taggingLag: false });
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    s.account.advance(idleMs);
    await before?.(s);
    await s.apply(specInput({ mode: 'fargate' }));
    // A stack that can't finish (a conflict) is given as many passes as a switch takes.
    const seen: Pass[] = [];
    const record = (p: Pass) => {
      seen.push(p);
      return false;
    };
    await passesUntil(s, record, 60).catch(() => undefined);
    return { s, seen };
  }

  it('takes the roles, routes and permission from the snapshot while a settled stack would trust it, and settles', async () => {
    const fresh = await switchAfter(60_000);
    const old = await switchAfter(DEFAULT_FULL_OBSERVE_EVERY_MS + 60_000);
    const [edited, full] = [fresh.seen[0]!, old.seen[0]!];
    expect(edited.observedBy).toBe('view');
    expect(full.observedBy).toBe('full');
    // The same plan, on fewer reads: the Lambda role and its policies, the roles of before the regional
    // names, the route, integration and permission are not asked for; the two new roles are looked up
    // right before their creates, as always (the task definition's create reads their answers).
    expect(steps(edited)).toEqual(steps(full));
    expect(called(edited, 'iam:ListAttachedRolePolicies')).toBe(0);
    expect(called(full, 'iam:ListAttachedRolePolicies')).toBe(1);
    expect(called(edited, 'iam:GetRole')).toBe(2);
    expect(called(full, 'iam:GetRole')).toBe(7);
    expect(called(edited, 'lambda:GetPolicy')).toBe(0);
    expect(called(edited, 'apigatewayv2:GetRoutes')).toBe(0);
    for (const { s, seen } of [fresh, old]) {
      expect(seen.at(-1)!.settled).toBe(true);
      expect(seen.at(-1)!.phase).toBe('Fargate');
      await s.expectPlansNothing();
    }
  });

  it('creates nothing on a name taken since the snapshot: a role made by hand with the stack’s tags copied is never changed', async () => {
    const roleName = stackRoleName(STACK, 'execution-role', 'us-east-1');
    const { s, seen } = await switchAfter(60_000, async (s) => {
      await clientsFor(s.account).iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'ecs-tasks.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
          Description: 'made by hand, with copies of the stack tags',
          Tags: ownershipTagList(STACK, 'execution-role'),
        }),
      );
    });
    // The snapshot said there was none; the create's own look-up, right before it, finds the copy.
    expect(seen[0]!.observedBy).toBe('view');
    const problems = (await s.store.get(STACK))!.status!.conditions.map((c) => c.message ?? '').join(' ');
    expect(problems).toContain(roleName);
    const kept = await s.clients.iam.send(new GetRoleCommand({ RoleName: roleName }));
    expect(kept.Role?.Description).toBe('made by hand, with copies of the stack tags');
    const attached = await s.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    expect(attached.AttachedPolicies ?? []).toEqual([]);
  });
});

describe('an edit that changes nothing', () => {
  it('is settled without listing the inventory, and the next pass lists it for the snapshot', async () => {
    const s = scenario({ seed: 12 });
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    // The Fargate tier's bounds, while the stack is on Lambda: nothing in AWS to change.
    const fargate = fargateTier(1, 6);
    await s.apply(specInput({ mode: 'lambda', fargate }));
    const edited = await pass(s);
    if (edited === 'crashed') throw new Error('no crash was asked for');
    expect(edited.settled).toBe(true);
    expect(called(edited, 'tagging:GetResources')).toBe(0);
    expect((await s.store.get(STACK))!.bookkeeping.observationSnapshot).toBeUndefined();
    s.account.advance(60_000);
    const next = await pass(s);
    if (next === 'crashed') throw new Error('no crash was asked for');
    expect(next.observedBy).toBe('full');
    expect(called(next, 'tagging:GetResources')).toBe(1);
    expect((await s.store.get(STACK))!.bookkeeping.observationSnapshot).toBeDefined();
  });
});
