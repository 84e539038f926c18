import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import {
  ClusterContainsServicesException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import {
  DeleteListenerCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimulatedAws } from '../../../aws-sim';
import { runningTasksOf } from '../../../aws-sim/services/ecs';
import { createLoadBalancing, createTargetGroup, type LoadBalancing } from './elbv2-fixture';
import { createNetwork, simulatedAccount, type Network } from './network-fixture';
import { registerWebTask, webServiceInput } from './service-fixture';

const CONTAINER = {
  name: 'app',
  image: 'public.ecr.aws/nginx/nginx:latest',
  portMappings: [{ containerPort: 8080 }],
};

/** A revision of `web` (one container `app` of `image` on 8080); its ARN. */
function registerTaskDefinition(sim: SimulatedAws, image = CONTAINER.image): Promise<string> {
  return registerWebTask(sim, image);
}

interface Fixture {
  sim: SimulatedAws;
  network: Network;
  lb: LoadBalancing;
  taskDefinitionArn: string;
  serviceInput(extra?: Partial<CreateServiceCommandInput>): CreateServiceCommandInput;
}

async function setup(targetGroupExtra: Record<string, unknown> = {}): Promise<Fixture> {
  const sim = simulatedAccount();
  const network = await createNetwork(sim);
  const lb = await createLoadBalancing(sim, network, targetGroupExtra);
  await sim.clients.ecs.send(new CreateClusterCommand({ clusterName: 'web' }));
  const taskDefinitionArn = await registerTaskDefinition(sim);
  const serviceInput = (extra: Partial<CreateServiceCommandInput> = {}): CreateServiceCommandInput =>
    webServiceInput(network, lb, { desiredCount: 2, healthCheckGracePeriodSeconds: 60, ...extra });
  return { sim, network, lb, taskDefinitionArn, serviceInput };
}

async function statuses(sim: SimulatedAws): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const status of ['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'] as const) {
    const answer = await sim.clients.ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'web', status }),
    );
    out[status] = answer.taskDefinitionArns ?? [];
  }
  return out;
}

async function describeService(sim: SimulatedAws) {
  const out = await sim.clients.ecs.send(new DescribeServicesCommand({ cluster: 'web', services: ['web'] }));
  return out.services![0];
}

async function targetStates(sim: SimulatedAws, targetGroupArn: string) {
  const out = await sim.clients.elbv2.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
  );
  return out.TargetHealthDescriptions!.map((d) => d.TargetHealth!.State).sort();
}

describe('simulated ECS: clusters', () => {
  it('CreateCluster is idempotent by name and DescribeClusters reports unknown ones as failures MISSING', async () => {
    const sim = simulatedAccount();
    const first = await sim.clients.ecs.send(
      new CreateClusterCommand({ clusterName: 'c1', tags: [{ key: 'k', value: 'v' }] }),
    );
    const again = await sim.clients.ecs.send(new CreateClusterCommand({ clusterName: 'c1' }));
    expect(again.cluster!.clusterArn).toBe(first.cluster!.clusterArn);
    expect(first.cluster!.clusterArn).toBe('arn:aws:ecs:us-east-1:123456789012:cluster/c1');
    const out = await sim.clients.ecs.send(
      new DescribeClustersCommand({ clusters: ['c1', 'nope'], include: ['TAGS'] }),
    );
    expect(out.clusters![0]).toMatchObject({
      clusterName: 'c1',
      status: 'ACTIVE',
      tags: [{ key: 'k', value: 'v' }],
    });
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/nope', reason: 'MISSING' },
    ]);
  });

  it('refuses DeleteCluster while services are ACTIVE or DRAINING: ClusterContainsServicesException (ECS API reference)', async () => {
    const { sim, serviceInput } = await setup();
    await sim.clients.ecs.send(new CreateServiceCommand(serviceInput({ desiredCount: 0 })));
    await expect(sim.clients.ecs.send(new DeleteClusterCommand({ cluster: 'web' }))).rejects.toBeInstanceOf(
      ClusterContainsServicesException,
    );
    await sim.clients.ecs.send(new DeleteServiceCommand({ cluster: 'web', service: 'web' }));
    sim.account.advance(1_000);
    expect((await describeService(sim)).status).toBe('INACTIVE');
    const deleted = await sim.clients.ecs.send(new DeleteClusterCommand({ cluster: 'web' }));
    expect(deleted.cluster!.status).toBe('INACTIVE');
    await expect(sim.clients.ecs.send(new ListServicesCommand({ cluster: 'web' }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
  });
});

describe('simulated ECS: cluster counts', () => {
  it('counts active services and pending and running tasks as they come and go', async () => {
    const { sim, serviceInput } = await setup();
    const counts = async () => {
      const out = await sim.clients.ecs.send(new DescribeClustersCommand({ clusters: ['web'] }));
      const c = out.clusters![0]!;
      return [c.activeServicesCount, c.pendingTasksCount, c.runningTasksCount];
    };
    expect(await counts()).toEqual([0, 0, 0]);
    await sim.clients.ecs.send(
      new CreateServiceCommand(
        serviceInput({ desiredCount: 2, loadBalancers: [], healthCheckGracePeriodSeconds: undefined }),
      ),
    );
    sim.account.advance(20_000);
    expect(await counts()).toEqual([1, 2, 0]);
    sim.account.advance(40_000);
    expect(await counts()).toEqual([1, 0, 2]);
    await sim.clients.ecs.send(new UpdateServiceCommand({ cluster: 'web', service: 'web', desiredCount: 3 }));
    expect(await counts()).toEqual([1, 1, 2]);
    await sim.clients.ecs.send(new DeleteServiceCommand({ cluster: 'web', service: 'web', force: true }));
    sim.account.advance(60_000);
    expect(await counts()).toEqual([0, 0, 0]);
    sim.account.advance(3 * 60 * 60_000); // past retention: the service and its tasks are forgotten
    expect(await counts()).toEqual([0, 0, 0]);
    await sim.clients.ecs.send(
      new CreateServiceCommand(
        serviceInput({ desiredCount: 1, loadBalancers: [], healthCheckGracePeriodSeconds: undefined }),
      ),
    );
    expect(await counts()).toEqual([1, 1, 0]);
  });
});

describe('simulated ECS: task definitions', () => {
  it('describes an INACTIVE revision only while a service or task runs it (DescribeTaskDefinition, ECS API reference)', async () => {
    const { sim, serviceInput, taskDefinitionArn } = await setup();
    const unused = await registerTaskDefinition(sim, 'public.ecr.aws/nginx/nginx:2');
    await sim.clients.ecs.send(new CreateServiceCommand(serviceInput({ taskDefinition: taskDefinitionArn })));
    for (const arn of [taskDefinitionArn, unused]) {
      await sim.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    }
    // The service runs the first: described, INACTIVE.
    const running = await sim.clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
    );
    expect(running.taskDefinition?.status).toBe('INACTIVE');
    // Nothing runs the second: ECS will not describe it, though it is still listed.
    await expect(
      sim.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: unused })),
    ).rejects.toMatchObject({ name: 'ClientException', message: 'Unable to describe task definition.' });
    const inactive = await sim.clients.ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'INACTIVE' }),
    );
    expect(inactive.taskDefinitionArns).toEqual([taskDefinitionArn, unused]);
  });

  it('DeleteTaskDefinitions deletes only deregistered revisions; one a service runs stays DELETE_IN_PROGRESS until it stops (ECS API reference)', async () => {
    const { sim, serviceInput, taskDefinitionArn } = await setup();
    const unused = await registerTaskDefinition(sim, 'public.ecr.aws/nginx/nginx:2');
    const active = await registerTaskDefinition(sim, 'public.ecr.aws/nginx/nginx:3');
    await sim.clients.ecs.send(new CreateServiceCommand(serviceInput({ taskDefinition: taskDefinitionArn })));
    for (const arn of [taskDefinitionArn, unused]) {
      await sim.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
    }
    const answer = await sim.clients.ecs.send(
      new DeleteTaskDefinitionsCommand({ taskDefinitions: [taskDefinitionArn, unused, active, 'web:99'] }),
    );
    expect(answer.taskDefinitions?.map((td) => [td.taskDefinitionArn, td.status])).toEqual([
      [taskDefinitionArn, 'DELETE_IN_PROGRESS'],
      [unused, 'DELETE_IN_PROGRESS'],
    ]);
    // An ACTIVE revision must be deregistered first; an unknown one is no failure of the others.
    expect(answer.failures?.map((f) => f.arn)).toEqual([active, 'web:99']);
    expect(answer.failures?.[0]?.reason).toMatch(/still in ACTIVE status/);
    expect(await statuses(sim)).toEqual({
      ACTIVE: [active],
      INACTIVE: [],
      DELETE_IN_PROGRESS: [taskDefinitionArn],
    });
    // The one nothing runs is gone for good: not described, not listed; its revision is never given again.
    await expect(
      sim.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: unused })),
    ).rejects.toMatchObject({ name: 'ClientException' });
    const running = await sim.clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
    );
    expect(running.taskDefinition?.status).toBe('DELETE_IN_PROGRESS');
    // No service can be created or updated to it.
    await expect(
      sim.clients.ecs.send(
        new CreateServiceCommand(serviceInput({ serviceName: 'web-2', taskDefinition: taskDefinitionArn })),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    // Once the service is gone and its tasks stopped, ECS deletes it.
    await sim.clients.ecs.send(new DeleteServiceCommand({ cluster: 'web', service: 'web', force: true }));
    sim.account.advance(10 * 60_000);
    expect(await statuses(sim)).toEqual({ ACTIVE: [active], INACTIVE: [], DELETE_IN_PROGRESS: [] });
    expect(await registerTaskDefinition(sim)).toMatch(/web:4$/);
  });

  it('DeleteTaskDefinitions takes 1 to 10 revisions', async () => {
    const sim = simulatedAccount();
    await expect(
      sim.clients.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: [] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const eleven = Array.from({ length: 11 }, (_, i) => `web:${i + 1}`);
    await expect(
      sim.clients.ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: eleven })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('makes a new revision on every RegisterTaskDefinition (docs/aws-facts.md idempotency facts)', async () => {
    const sim = simulatedAccount();
    const first = await registerTaskDefinition(sim);
    const second = await registerTaskDefinition(sim);
    expect(first).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:1');
    expect(second).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    const latest = await sim.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition!.revision).toBe(2);
    await sim.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:2' }));
    const active = await sim.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }));
    expect(active.taskDefinitionArns).toEqual([first]);
    const inactive = await sim.clients.ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'web', status: 'INACTIVE' }),
    );
    expect(inactive.taskDefinitionArns).toEqual([second]);
    const byFamily = await sim.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(byFamily.taskDefinition!.revision).toBe(1);
    expect(await registerTaskDefinition(sim)).toMatch(/web:3$/);
  });

  it.each([
    ['256', '4096'],
    ['1024', '1024'],
    ['300', '512'],
  ])(
    'refuses FARGATE cpu %s with memory %s: ClientException (ECS guide, task CPU and memory)',
    async (cpu, memory) => {
      const sim = simulatedAccount();
      await expect(
        sim.clients.ecs.send(
          new RegisterTaskDefinitionCommand({
            family: 'web',
            requiresCompatibilities: ['FARGATE'],
            networkMode: 'awsvpc',
            cpu,
            memory,
            containerDefinitions: [CONTAINER],
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ClientException',
        message: expect.stringMatching(/No Fargate configuration/),
      });
    },
  );

  it('accepts the vCPU / GB forms and needs awsvpc for FARGATE', async () => {
    const sim = simulatedAccount();
    const out = await sim.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'big',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '1 vCPU',
        memory: '3 GB',
        containerDefinitions: [CONTAINER],
      }),
    );
    expect(out.taskDefinition).toMatchObject({ cpu: '1024', memory: '3072' });
    await expect(
      sim.clients.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'bridge',
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'bridge',
          cpu: '256',
          memory: '512',
          containerDefinitions: [CONTAINER],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ClientException', message: expect.stringMatching(/awsvpc/) });
  });
});

describe('simulated ECS: services', () => {
  it('starts tasks PROVISIONING → PENDING → RUNNING in 45 s, with ENIs and public IPs, registered in the target group', async () => {
    const { sim, lb, serviceInput } = await setup();
    await sim.clients.ecs.send(new CreateServiceCommand(serviceInput()));
    const list = await sim.clients.ecs.send(new ListTasksCommand({ cluster: 'web', serviceName: 'web' }));
    expect(list.taskArns).toHaveLength(2);
    const statuses = async () =>
      (
        await sim.clients.ecs.send(new DescribeTasksCommand({ cluster: 'web', tasks: list.taskArns! }))
      ).tasks!.map((t) => t.lastStatus);
    expect(await statuses()).toEqual(['PROVISIONING', 'PROVISIONING']);
    sim.account.advance(20_000);
    expect(await statuses()).toEqual(['PENDING', 'PENDING']);
    expect(await targetStates(sim, lb.targetGroupArn)).toEqual([]);
    sim.account.advance(25_000);
    expect(await statuses()).toEqual(['RUNNING', 'RUNNING']);
    expect(runningTasksOf(sim.account, 'web', 'web')).toHaveLength(2);
    expect(await targetStates(sim, lb.targetGroupArn)).toEqual(['initial', 'initial']);
    const tasks = (
      await sim.clients.ecs.send(new DescribeTasksCommand({ cluster: 'web', tasks: list.taskArns! }))
    ).tasks!;
    expect(tasks.map((t) => t.availabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1b']);
    const eniIds = tasks.map(
      (t) => t.attachments![0].details!.find((d) => d.name === 'networkInterfaceId')!.value!,
    );
    const enis = await sim.clients.ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: eniIds }),
    );
    expect(enis.NetworkInterfaces!.every((e) => e.Association?.PublicIp !== undefined)).toBe(true);
    const service = await describeService(sim);
    expect(service).toMatchObject({ status: 'ACTIVE', desiredCount: 2, runningCount: 2, pendingCount: 0 });
  });

  it('makes targets healthy after interval × healthy threshold once the ALB is active', async () => {
    const { sim, lb, serviceInput } = await setup({
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: 2,
    });
    await sim.clients.ecs.send(new CreateServiceCommand(serviceInput()));
    sim.account.advance(180_000); // the ALB turns active; the tasks have long been RUNNING
    sim.account.advance(9_999);
    expect(await targetStates(sim, lb.targetGroupArn)).toEqual(['initial', 'initial']);
    sim.account.advance(1);
    expect(await targetStates(sim, lb.targetGroupArn)).toEqual(['healthy', 'healthy']);
    expect((await describeService(sim)).deployments![0].rolloutState).toBe('COMPLETED');
  });

  it('gives the same result however finely the clock is advanced', async () => {
    const coarse = await setup();
    const fine = await setup();
    for (const f of [coarse, fine]) await f.sim.clients.ecs.send(new CreateServiceCommand(f.serviceInput()));
    coarse.sim.account.advance(400_000);
    for (let i = 0; i < 400; i++) fine.sim.account.advance(1_000);
    const snapshot = async (f: Fixture) =>
      (
        await f.sim.clients.elbv2.send(
          new DescribeTargetHealthCommand({ TargetGroupArn: f.lb.targetGroupArn }),
        )
      ).TargetHealthDescriptions!.map((d) => d.TargetHealth!.State);
    expect(await snapshot(fine)).toEqual(await snapshot(coarse));
    expect(fine.sim.account.toJSON().services.ecs).toEqual(coarse.sim.account.toJSON().services.ecs);
  });

  it('refuses a target group that no listener reaches: "does not have an associated load balancer"', async () => {
    const { sim, lb, serviceInput } = await setup();
    await sim.clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: lb.listenerArn }));
    await expect(sim.clients.ecs.send(new CreateServiceCommand(serviceInput()))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/does not have an associated load balancer/),
    });
  });

  it('answers a service made a moment ago MISSING ("the Amazon ECS API follows an eventual consistency model"); UpdateService finds it', async () => {
    const { sim, serviceInput } = await setup();
    // This account with the default consistency delay, 2 s (the fixture's EC2 answers at once).
    sim.account.restore({ ...sim.account.toJSON(), consistencyDelayMs: 2_000 });
    const created = await sim.clients.ecs.send(new CreateServiceCommand(serviceInput()));
    const describe = () =>
      sim.clients.ecs.send(new DescribeServicesCommand({ cluster: 'web', services: ['web'] }));
    expect(await describe()).toMatchObject({
      services: [],
      failures: [{ arn: created.service!.serviceArn, reason: 'MISSING' }],
    });
    await expect(
      sim.clients.ecs.send(new UpdateServiceCommand({ cluster: 'web', service: 'web', desiredCount: 1 })),
    ).resolves.toMatchObject({ service: { desiredCount: 1 } });
    sim.account.advance(2_000);
    expect((await describe()).services).toMatchObject([{ serviceName: 'web', desiredCount: 1 }]);
  });

  it('returns the same service for the same clientToken; the same name again is "not idempotent"', async () => {
    const { sim, serviceInput } = await setup();
    const first = await sim.clients.ecs.send(
      new CreateServiceCommand(serviceInput({ clientToken: 'token-1' })),
    );
    const again = await sim.clients.ecs.send(
      new CreateServiceCommand(serviceInput({ clientToken: 'token-1' })),
    );
    expect(again.service!.serviceArn).toBe(first.service!.serviceArn);
    expect(first.service!.serviceArn).toBe('arn:aws:ecs:us-east-1:123456789012:service/web/web');
    await expect(
      sim.clients.ecs.send(new CreateServiceCommand(serviceInput({ clientToken: 'token-2' }))),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Creation of service was not idempotent.',
    });
    await expect(
      sim.clients.ecs.send(
        new CreateServiceCommand(serviceInput({ serviceName: 'other', clientToken: 'x'.repeat(37) })),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    expect((await sim.clients.ecs.send(new ListTasksCommand({ cluster: 'web' }))).taskArns).toHaveLength(2);
  });

  it('describes unknown services as failures MISSING (DescribeServices API reference)', async () => {
    const { sim } = await setup();
    const out = await sim.clients.ecs.send(
      new DescribeServicesCommand({ cluster: 'web', services: ['ghost'] }),
    );
    expect(out.services).toEqual([]);
    expect(out.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/web/ghost', reason: 'MISSING' },
    ]);
  });

  it('refuses DeleteService above 0 tasks without force, then drains ACTIVE → DRAINING → INACTIVE', async () => {
    const { sim, lb, serviceInput } = await setup();
    await sim.clients.elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: lb.targetGroupArn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '60' }],
      }),
    );
    await sim.clients.ecs.send(new CreateServiceCommand(serviceInput()));
    sim.account.advance(60_000);
    await expect(
      sim.clients.ecs.send(new DeleteServiceCommand({ cluster: 'web', service: 'web' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/scaled above 0/),
    });
    const deleted = await sim.clients.ecs.send(
      new DeleteServiceCommand({ cluster: 'web', service: 'web', force: true }),
    );
    expect(deleted.service!.status).toBe('DRAINING');
    expect(await targetStates(sim, lb.targetGroupArn)).toEqual(['draining', 'draining']);
    await expect(sim.clients.ecs.send(new CreateServiceCommand(serviceInput()))).rejects.toMatchObject({
      message: 'Creation of service was not idempotent.',
    });
    sim.account.advance(60_000); // deregistration delay over: the tasks go STOPPING
    expect(await targetStates(sim, lb.targetGroupArn)).toEqual([]);
    expect((await describeService(sim)).status).toBe('DRAINING');
    sim.account.advance(10_000); // stop timeout over: STOPPED
    expect((await describeService(sim)).status).toBe('INACTIVE');
    const stopped = await sim.clients.ecs.send(
      new ListTasksCommand({ cluster: 'web', desiredStatus: 'STOPPED' }),
    );
    expect(stopped.taskArns).toHaveLength(2);
    expect((await sim.clients.ecs.send(new ListServicesCommand({ cluster: 'web' }))).serviceArns).toEqual([]);
    await expect(sim.clients.ecs.send(new CreateServiceCommand(serviceInput()))).resolves.toBeDefined();
  });

  it('scales with UpdateService desiredCount; stopped task ENIs linger, then disappear', async () => {
    const { sim, serviceInput } = await setup();
    await sim.clients.ecs.send(
      new CreateServiceCommand(
        serviceInput({ desiredCount: 3, loadBalancers: [], healthCheckGracePeriodSeconds: undefined }),
      ),
    );
    sim.account.advance(60_000);
    expect(runningTasksOf(sim.account, 'web', 'web')).toHaveLength(3);
    await sim.clients.ecs.send(new UpdateServiceCommand({ cluster: 'web', service: 'web', desiredCount: 1 }));
    expect(runningTasksOf(sim.account, 'web', 'web')).toHaveLength(1);
    sim.account.advance(10_000);
    const taskEnis = async () =>
      (await sim.clients.ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!.filter((e) =>
        e.Description?.includes(':attachment/'),
      ).length;
    expect(await taskEnis()).toBe(3); // two released, still lingering
    sim.account.advance(30 * 60_000);
    expect(await taskEnis()).toBe(1);
  });

  it('replaces tasks on a new task definition: old ones stop as new ones become healthy', async () => {
    const { sim, lb, serviceInput } = await setup({
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: 2,
    });
    await sim.clients.ecs.send(new CreateServiceCommand(serviceInput()));
    sim.account.advance(300_000);
    const second = await registerTaskDefinition(sim, 'public.ecr.aws/nginx/nginx:2');
    const updated = await sim.clients.ecs.send(
      new UpdateServiceCommand({ cluster: 'web', service: 'web', taskDefinition: second }),
    );
    expect(updated.service!.deployments!.map((d) => d.status)).toEqual(['PRIMARY', 'ACTIVE']);
    expect(await targetStates(sim, lb.targetGroupArn)).toEqual(['healthy', 'healthy']);
    sim.account.advance(45_000 + 10_000);
    expect(await targetStates(sim, lb.targetGroupArn)).toEqual([
      'draining',
      'draining',
      'healthy',
      'healthy',
    ]);
    sim.account.advance(600_000);
    const service = await describeService(sim);
    expect(service.deployments!.map((d) => [d.status, d.taskDefinition, d.rolloutState])).toEqual([
      ['PRIMARY', second, 'COMPLETED'],
    ]);
    const running = runningTasksOf(sim.account, 'web', 'web');
    expect(running.map((t) => t.taskDefinitionArn)).toEqual([second, second]);
  });

  it('tags services on create and later (lowercase key/value), and lists them', async () => {
    const { sim, serviceInput } = await setup();
    const created = await sim.clients.ecs.send(
      new CreateServiceCommand(serviceInput({ tags: [{ key: 'lambdaflex:stack', value: 'web' }] })),
    );
    const arn = created.service!.serviceArn!;
    await sim.clients.ecs.send(
      new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'team', value: 'a' }] }),
    );
    await sim.clients.ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    const tags = await sim.clients.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags.tags).toEqual([{ key: 'lambdaflex:stack', value: 'web' }]);
    expect(sim.account.inventory()).toContainEqual(
      expect.objectContaining({
        type: 'AWS::ECS::Service',
        arn,
        state: 'ACTIVE',
        tags: { 'lambdaflex:stack': 'web' },
      }),
    );
  });

  it('needs an awsvpc network configuration with existing subnets', async () => {
    const { sim, network, serviceInput } = await setup();
    await expect(
      sim.clients.ecs.send(new CreateServiceCommand(serviceInput({ networkConfiguration: undefined }))),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/Network Configuration must be provided/),
    });
    await expect(
      sim.clients.ecs.send(
        new CreateServiceCommand(
          serviceInput({
            networkConfiguration: {
              awsvpcConfiguration: {
                subnets: ['subnet-00000000000000001'],
                securityGroups: [network.tasksGroupId],
              },
            },
          }),
        ),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/subnet/) });
    const unattached = await createTargetGroup(sim, network, 'tg-other');
    await expect(
      sim.clients.ecs.send(
        new CreateServiceCommand(
          serviceInput({
            loadBalancers: [{ targetGroupArn: unattached, containerName: 'app', containerPort: 8080 }],
          }),
        ),
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/does not have an associated load balancer/) });
  });
});
