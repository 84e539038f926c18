/**
 * Adversary (security): one stack's spec taking the account's Fargate capacity. Whoever holds a stack's API
 * token, or runs code with its roles, may write any schema-valid spec (`PUT /desired-state`, the stack
 * role's UpdateItem of `spec`: docs/security.md). Fargate's running vCPUs are one pool per account and
 * region (the "Fargate On-Demand vCPU resource count" quota of Service Quotas, adjustable, shared by every
 * ECS task and EKS pod of the account), as Lambda's concurrency is. The schema lets one spec ask for
 * `fargate.minTasks: 1000` tasks of `cpu: 16384` (16 vCPU): 16,000 vCPUs kept running for as long as the
 * stack is pinned to `mode: fargate`, more than any account's default quota. Once the pool is taken every
 * other stack's Fargate tier can place no task: a stack pinned to Fargate can neither scale out under load
 * nor replace a task that fails, and one in `auto` never gets healthy targets to move to.
 *
 * Lambda's pool got a ceiling (`bootstrap --max-reserved-concurrency`, the pass refuses a spec above it:
 * adversary-reserved-concurrency); Fargate's had none: nothing bounded what one stack's spec may keep
 * running, and the pass built the tier and asked ECS for the 1,000 tasks. Now one stack's tier is bounded
 * by `bootstrap --max-fargate-vcpus` (32 by default), and the pass refuses such a spec as it refuses a
 * reservation above its ceiling (safety rule 5: `SpecValid=False` naming the field, nothing created).
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { names } from '../../spec/names';
import { scenario, specInput, STACK, type Scenario } from './harness';

/** The spec's task size, in vCPUs. */
const TASK_VCPUS = 16384 / 1024;

/** What the stack's ECS service asks ECS to keep running, in vCPUs of its tasks (0 without a service or cluster). */
async function vcpusAsked(s: Scenario): Promise<number> {
  const { services } = await s.clients.ecs
    .send(new DescribeServicesCommand({ cluster: names(STACK).cluster, services: [names(STACK).service] }))
    .catch((error: unknown) => {
      // No cluster: nothing of the tier was made.
      if ((error as { name?: string }).name === 'ClusterNotFoundException') return { services: [] };
      throw error;
    });
  const service = services?.find((x) => x.status === 'ACTIVE');
  return service ? (service.desiredCount ?? 0) * TASK_VCPUS : 0;
}

describe('adversary (security): one stack’s spec taking the account’s Fargate vCPU pool', () => {
  it('a token holder’s spec keeping 1,000 tasks of 16 vCPU running is refused: the Fargate ceiling bounds one stack’s share of the account’s pool', async () => {
    const s = scenario();
    await s.apply(
      specInput({
        mode: 'fargate',
        fargate: { cpu: 16384, memoryMb: 32768, minTasks: 1000, maxTasks: 1000, targetRequestsPerTask: 100 },
      }),
    );
    // A few passes: far enough for the tier's service to be created (its ALB is active within them).
    for (let i = 0; i < 40; i++) {
      const result = await s.pass();
      if (result !== 'crashed' && result.outcome !== 'reconciled') break;
      if ((await vcpusAsked(s)) > 0) break;
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    const specValid = (await s.store.get(STACK))?.status?.conditions.find((c) => c.type === 'SpecValid');
    // The spec is refused, naming the Fargate tier's size, and ECS is asked for nothing.
    expect(specValid).toMatchObject({ status: 'False', message: expect.stringContaining('fargate.') });
    expect(await vcpusAsked(s)).toBe(0);
  });
});
