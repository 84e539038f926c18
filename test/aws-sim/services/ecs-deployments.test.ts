/**
 * The simulated ECS's rolling deployments as ECS documents them: rolloutState, failed tasks, and the
 * deployment circuit breaker with and without rollback.
 */
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { SimulatedAws } from '../../../aws-sim';
import { failureThreshold } from '../../../aws-sim/services/ecs';
import { deploymentAccount, registerWebTask, webServiceInput } from './service-fixture';

const GOOD = 'public.ecr.aws/nginx/nginx:1';
const BROKEN = 'public.ecr.aws/nginx/nginx:broken';
const BREAKER = { deploymentCircuitBreaker: { enable: true, rollback: true } };

async function setup(): Promise<{
  sim: SimulatedAws;
  input: (extra?: Partial<CreateServiceCommandInput>) => CreateServiceCommandInput;
}> {
  const { sim, network, lb } = await deploymentAccount(BROKEN);
  const input = (extra: Partial<CreateServiceCommandInput> = {}): CreateServiceCommandInput =>
    webServiceInput(network, lb, { desiredCount: 2, ...extra });
  return { sim, input };
}

async function service(sim: SimulatedAws) {
  const out = await sim.clients.ecs.send(new DescribeServicesCommand({ cluster: 'web', services: ['web'] }));
  return out.services![0]!;
}

/** Advances a minute at a time until `done` or the bound. */
async function until(sim: SimulatedAws, done: () => Promise<boolean>, minutes = 30): Promise<void> {
  for (let i = 0; i < minutes && !(await done()); i++) sim.account.advance(60_000);
}

describe('simulated ECS: deployments and the circuit breaker', () => {
  it.each([
    [1, 3],
    [2, 3],
    [7, 4],
    [10, 5],
    [1000, 200],
  ])('fails a deployment after 0.5 × %i desired tasks failed, within [3, 200]: %i', (desired, threshold) => {
    expect(failureThreshold(desired)).toBe(threshold);
  });

  it('reports a deployment IN_PROGRESS, then COMPLETED once its tasks are healthy', async () => {
    const { sim, input } = await setup();
    const td = await registerWebTask(sim, GOOD);
    await sim.clients.ecs.send(
      new CreateServiceCommand(input({ taskDefinition: td, deploymentConfiguration: BREAKER })),
    );
    expect((await service(sim)).deployments![0]).toMatchObject({
      rolloutState: 'IN_PROGRESS',
      failedTasks: 0,
    });
    await until(sim, async () => (await service(sim)).deployments![0]!.rolloutState === 'COMPLETED');
    const described = await service(sim);
    expect(described.deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: td }),
    ]);
    expect(described.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({
      enable: true,
      rollback: true,
    });
  });

  it('without the circuit breaker (the default) replaces failing tasks forever: the rollout stays IN_PROGRESS', async () => {
    const { sim, input } = await setup();
    const td = await registerWebTask(sim, BROKEN);
    await sim.clients.ecs.send(new CreateServiceCommand(input({ taskDefinition: td })));
    sim.account.advance(20 * 60_000);
    const described = await service(sim);
    expect(described.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({
      enable: false,
      rollback: false,
    });
    expect(described.deployments![0]).toMatchObject({ rolloutState: 'IN_PROGRESS' });
    expect(described.deployments![0]!.failedTasks).toBeGreaterThan(10);
    expect(described.runningCount).toBe(0);
  });

  it('with the circuit breaker, fails the first deployment, which has nothing to roll back to, and launches no more', async () => {
    const { sim, input } = await setup();
    const td = await registerWebTask(sim, BROKEN);
    await sim.clients.ecs.send(
      new CreateServiceCommand(input({ taskDefinition: td, deploymentConfiguration: BREAKER })),
    );
    await until(sim, async () => (await service(sim)).deployments![0]!.rolloutState === 'FAILED');
    const failed = await service(sim);
    expect(failed.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        taskDefinition: td,
      }),
    ]);
    const failedTasks = failed.deployments![0]!.failedTasks!;
    expect(failedTasks).toBeGreaterThanOrEqual(failureThreshold(2));
    sim.account.advance(10 * 60_000);
    const later = await service(sim);
    expect(later.deployments![0]!.failedTasks).toBe(failedTasks);
    expect(later.pendingCount! + later.runningCount!).toBe(0);
  });

  it('with rollback, goes back to the last COMPLETED deployment and keeps the failed one listed until then', async () => {
    const { sim, input } = await setup();
    const good = await registerWebTask(sim, GOOD);
    await sim.clients.ecs.send(
      new CreateServiceCommand(input({ taskDefinition: good, deploymentConfiguration: BREAKER })),
    );
    await until(sim, async () => (await service(sim)).deployments![0]!.rolloutState === 'COMPLETED');
    const completedId = (await service(sim)).deployments![0]!.id;
    const broken = await registerWebTask(sim, BROKEN);
    await sim.clients.ecs.send(
      new UpdateServiceCommand({ cluster: 'web', service: 'web', taskDefinition: broken }),
    );
    await until(sim, async () => (await service(sim)).taskDefinition === good, 10);

    const rollingBack = await service(sim);
    expect(rollingBack.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        taskDefinition: good,
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`,
      }),
      expect.objectContaining({ taskDefinition: broken, rolloutState: 'FAILED' }),
      expect.objectContaining({ taskDefinition: good, rolloutState: 'COMPLETED' }),
    ]);
    // The old tasks served throughout.
    expect(rollingBack.runningCount).toBeGreaterThanOrEqual(2);

    await until(sim, async () => (await service(sim)).deployments![0]!.rolloutState === 'COMPLETED');
    expect((await service(sim)).deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', taskDefinition: good, rolloutState: 'COMPLETED' }),
    ]);
  });

  it('changes the deployment configuration without starting a deployment', async () => {
    const { sim, input } = await setup();
    const td = await registerWebTask(sim, GOOD);
    await sim.clients.ecs.send(new CreateServiceCommand(input({ taskDefinition: td })));
    const before = (await service(sim)).deployments!.map((d) => d.id);
    await sim.clients.ecs.send(
      new UpdateServiceCommand({ cluster: 'web', service: 'web', deploymentConfiguration: BREAKER }),
    );
    const after = await service(sim);
    expect(after.deployments!.map((d) => d.id)).toEqual(before);
    expect(after.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    await expect(
      sim.clients.ecs.send(
        new UpdateServiceCommand({
          cluster: 'web',
          service: 'web',
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true } as never },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
