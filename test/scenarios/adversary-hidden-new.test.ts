/**
 * Adversary scenario: AWS hides a new target group, ECS service, IAM role or API Gateway stage for a while
 * after its create (the simulator's consistency delays, docs/design.md). The user changes their mind right
 * after such a create: the mode flipped back to Lambda, or the stack deleted, with the pass that made it
 * the last. The stack must not forget what it made while it cannot see it (a service left running, a
 * target group or a role left in the account), nor make any of it twice; it ends with only the Lambda tier
 * (or nothing) in the account, settled (or its record deleted).
 */
import type { HookClient } from './call-hooks';
import { names } from '../../spec/names';
import { scenario, specInput, STACK, type Scenario } from './harness';

const FARGATE_TYPES = [
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ECS::Service',
  'AWS::ECS::Cluster',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::SecurityGroup',
];

/** Every create the stack's IAM, ECS and ELBv2 clients send, as `operation name`. */
function creates(s: Scenario): string[] {
  const made: string[] = [];
  for (const client of [s.clients.iam, s.clients.ecs, s.clients.elbv2]) {
    (client as unknown as HookClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const input = args.input as { Name?: string; serviceName?: string; RoleName?: string };
        if (operation.startsWith('Create')) {
          made.push(`${operation} ${input.Name ?? input.serviceName ?? input.RoleName ?? ''}`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'creates', priority: 'high' },
    );
  }
  return made;
}

/** The creates sent more than once for the same name. */
const twice = (made: string[]) => made.filter((call, i) => made.indexOf(call) !== i);

const left = (s: Scenario, types: readonly string[]) =>
  s
    .owned()
    .filter((item) => types.includes(item.type))
    .map((item) => `${item.type} ${item.id}`);

const next = (s: Scenario, result: Awaited<ReturnType<Scenario['pass']>>) =>
  s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));

/** Passes of a new Fargate stack until `operation` has been sent. */
async function passUntilCalled(s: Scenario, made: string[], operation: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (made.some((call) => call.startsWith(operation))) return;
    next(s, await s.pass());
  }
  throw new Error(`${operation} not called in 100 passes`);
}

describe('adversary: the mind changed right after a create AWS does not show yet', () => {
  for (const operation of [
    'CreateTargetGroup',
    'CreateService',
    `CreateRole ${names(STACK).executionRole}`,
  ]) {
    it(`right after ${operation}, back to Lambda: the Fargate tier all gone, each made once`, async () => {
      const s = scenario({ seed: 919 });
      const made = creates(s);
      await s.apply(specInput({ mode: 'fargate' }));
      await passUntilCalled(s, made, operation);
      await s.apply(specInput({ mode: 'lambda' }));
      const last = (await s.settle(300)).at(-1);
      expect(last).toMatchObject({ phase: 'Lambda', settled: true });
      expect(left(s, FARGATE_TYPES)).toEqual([]);
      const roles = s.owned().filter((item) => item.type === 'AWS::IAM::Role');
      expect(roles.filter((role) => role.id.startsWith(names(STACK).executionRole))).toEqual([]);
      expect(twice(made)).toEqual([]);
    });

    it(`right after ${operation}, the stack deleted: nothing of it left, its record gone`, async () => {
      const s = scenario({ seed: 921 });
      const made = creates(s);
      await s.apply(specInput({ mode: 'fargate' }));
      await passUntilCalled(s, made, operation);
      await s.store.requestDelete(STACK);
      for (let i = 0; i < 300 && (await s.store.get(STACK)) !== undefined; i++) next(s, await s.pass());
      expect(await s.store.get(STACK)).toBeUndefined();
      expect(s.owned().map((item) => `${item.type} ${item.id}`)).toEqual([]);
      expect(twice(made)).toEqual([]);
    });
  }
});
