/**
 * Adversary (security): the Fargate vCPU ceiling and a rolling deployment. `bootstrap --max-fargate-vcpus`
 * (32 by default) bounds one stack's Fargate tier "at its largest", counted as `fargate.maxTasks` × the
 * vCPUs of `fargate.cpu` (reconciler/state/ceilings.ts), so that one stack's token holder cannot take the
 * account's Fargate On-Demand vCPU quota from the others. But the stack's ECS service rolls a new task
 * definition out with `maximumPercent: 200` (reconciler/resources/ecs/service.ts): ECS starts the new
 * tasks before it stops the old, up to twice the desired count. Every change of the image, the
 * environment or the token starts such a rollout, and a token holder may PUT one whenever it likes: a
 * stack at the ceiling then runs twice the ceiling's vCPUs for as long as the rollouts last. The ceiling
 * should hold during a rollout too (count the surge in it, or roll out within it). Found: 16 tasks of
 * 4 vCPU (64) run at once under a ceiling of 32.
 *
 * Fixed by counting the surge: the ceiling counts maxTasks × ROLLOUT_MAXIMUM_PERCENT / 100 tasks (the
 * ceiling's default became 64, what 32 allowed before with its rollout). A stack at the ceiling is now
 * one of half as many tasks (8 of 4 vCPU under 64), and its rollout stays within it.
 */
import { billableTasks } from '../../aws-sim/services/ecs/api';
import { fargateVcpus } from '../../reconciler/state/ceilings';
import { DEFAULT_MAX_FARGATE_VCPUS } from '../../reconciler/state/system-record';
import { scenario, specInput, STACK } from './harness';

/** The vCPUs of the stack's tasks Fargate runs now (PENDING to STOPPED, as the quota counts them). */
const vcpusRunning = (s: ReturnType<typeof scenario>) =>
  billableTasks(s.account)
    .filter((task) => task.arn.includes(':task/lf-'))
    .reduce((sum, task) => sum + task.vcpu, 0);

describe('adversary (security): the Fargate vCPU ceiling during a rollout', () => {
  it('a stack at the ceiling runs no more than the ceiling while a spec change rolls out', async () => {
    const s = scenario();
    // 4-vCPU tasks, as many as the ceiling allows with their rollout.
    const tasks = DEFAULT_MAX_FARGATE_VCPUS / 8;
    const fargate = {
      cpu: 4096 as const,
      memoryMb: 8192,
      minTasks: tasks,
      maxTasks: tasks,
      targetRequestsPerTask: 100,
    };
    expect(fargateVcpus(fargate)).toBe(DEFAULT_MAX_FARGATE_VCPUS);
    await s.apply(specInput({ mode: 'fargate', fargate }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(vcpusRunning(s)).toBe(DEFAULT_MAX_FARGATE_VCPUS / 2);

    // The token holder's PUT: the same spec with one environment variable more.
    const record = await s.store.get(STACK);
    await s.store.putSpec(specInput({ mode: 'fargate', fargate, environment: { RELEASE: '2' } }), {
      expectedGeneration: record!.generation,
      expectedIncarnation: record!.incarnation,
    });
    let most = 0;
    for (let i = 0; i < 80; i++) {
      const result = await s.pass();
      most = Math.max(most, vcpusRunning(s));
      if (result !== 'crashed' && result.settled) break;
      for (let t = 0; t < 6; t++) {
        s.account.advance(5_000);
        most = Math.max(most, vcpusRunning(s));
      }
    }
    // The rollout did run its new tasks beside the old, and stayed within the ceiling.
    expect(most).toBeGreaterThan(DEFAULT_MAX_FARGATE_VCPUS / 2);
    expect(most).toBeLessThanOrEqual(DEFAULT_MAX_FARGATE_VCPUS);
  });
});
