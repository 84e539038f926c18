/**
 * Scenarios: the ceiling `lambdaflex bootstrap --max-fargate-vcpus` keeps in the table's system record on
 * one stack's Fargate vCPUs (fargate.maxTasks × the vCPUs of fargate.cpu), as the reconciler applies it.
 * A stack built asking more than a ceiling set later (lowered, or the default an upgrade brings: a record
 * written before the ceiling existed has none) keeps its Fargate tier as it is: its spec is invalid,
 * nothing of it is changed (safety rule 5), and its status says which field, what ceiling and which
 * bootstrap raises it. A spec written past every check asking for more is never acted on. Raised, the
 * stack goes on from where it was.
 */
import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { toSystemRecord } from '../../reconciler/state/system-record';
import { systemRecordItem } from '../support/system-record-item';
import { names } from '../../spec/names';
import { scenario, specInput, STACK, type Scenario } from './harness';

const NAMES = names(STACK);

/** The Fargate tier as AWS has it: the scalable target's bounds and the service's task size. */
async function fargateTier(s: Scenario) {
  const targets = await s.clients.autoscaling.send(
    new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }),
  );
  const target = targets.ScalableTargets?.find(
    (t) => t.ResourceId === `service/${NAMES.cluster}/${NAMES.service}`,
  );
  const services = await s.clients.ecs.send(
    new DescribeServicesCommand({ cluster: NAMES.cluster, services: [NAMES.service] }),
  );
  const definition = await s.clients.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: services.services?.[0]?.taskDefinition }),
  );
  return {
    minCapacity: target?.MinCapacity,
    maxCapacity: target?.MaxCapacity,
    cpu: definition.taskDefinition?.cpu,
  };
}

/** The system record as a bootstrap before the Fargate ceiling wrote it: zones, the Lambda one, no other. */
const BEFORE_THE_CEILING = toSystemRecord(systemRecordItem({ maxReservedConcurrency: 100 }));

/** 40 tasks of 1 vCPU: 80 vCPUs while a change rolls out, over the default ceiling (64). */
const FORTY_VCPUS = {
  cpu: 1024 as const,
  memoryMb: 2048,
  minTasks: 1,
  maxTasks: 40,
  targetRequestsPerTask: 100,
};

const ids = (s: Scenario) =>
  s
    .owned()
    .map((item) => item.id)
    .sort();

describe('the ceiling on one stack’s Fargate vCPUs', () => {
  // Rule changed: the rollout is counted (80 vCPUs, not 40; the default 64, not 32).
  it('an upgrade under a stack of 80 vCPUs: its Fargate tier stays, its spec is invalid until the ceiling is raised', async () => {
    const s = scenario();
    s.store.systemRecord = { ...BEFORE_THE_CEILING!, maxFargateVcpus: 128 };
    await s.apply(specInput({ fargate: FORTY_VCPUS }));
    expect((await s.settle()).at(-1)).toMatchObject({ outcome: 'reconciled', settled: true });
    const tier = await fargateTier(s);
    expect(tier).toEqual({ minCapacity: 1, maxCapacity: 40, cpu: '1024' });
    const built = ids(s);

    // The upgrade: the record has no Fargate ceiling, which reads as the default, 64.
    s.store.systemRecord = BEFORE_THE_CEILING;
    for (let i = 0; i < 3; i++) {
      expect(await s.pass()).toMatchObject({ outcome: 'invalid' });
      s.account.advance(60_000);
    }
    expect(await fargateTier(s)).toEqual(tier);
    expect(ids(s)).toEqual(built);
    const record = (await s.store.get(STACK))!;
    const specValid = record.status?.conditions.find((c) => c.type === 'SpecValid');
    expect(specValid?.status).toBe('False');
    expect(specValid?.message).toMatch(
      /^fargate\.maxTasks: 40 tasks of fargate\.cpu 1024 \(1 vCPU each\) are 80 while a change rolls out \(ECS starts the new tasks before it stops the old\), 80 vCPUs, more than one stack may run/,
    );
    expect(specValid?.message).toContain('at most 64');
    expect(specValid?.message).toContain('`lambdaflex bootstrap --max-fargate-vcpus 80` raises it');
    // Said once, not once a pass.
    expect(record.events.filter((e) => e.reason === 'SpecInvalid')).toHaveLength(1);

    // Raised to the stack's 80: the pass goes on, and the tier is as it was.
    s.store.systemRecord = { ...BEFORE_THE_CEILING!, maxFargateVcpus: 80 };
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ outcome: 'reconciled', settled: true });
    expect(await fargateTier(s)).toEqual(tier);
    const after = (await s.store.get(STACK))!.status?.conditions.find((c) => c.type === 'SpecValid');
    expect(after?.status).toBe('True');
  });

  it("a token holder's spec asking 1000 tasks of 16 vCPUs is never acted on: the tier keeps its bounds and task size", async () => {
    const s = scenario();
    await s.apply(specInput());
    expect((await s.settle()).at(-1)).toMatchObject({ outcome: 'reconciled', settled: true });
    const tier = await fargateTier(s);
    expect(tier).toEqual({ minCapacity: 1, maxCapacity: 4, cpu: '256' });
    const built = ids(s);

    // Written past apply (PUT /desired-state, or the stack's role on its own item): no system record here.
    await s.apply(
      specInput({
        fargate: {
          cpu: 16384 as const,
          memoryMb: 32768,
          minTasks: 1000,
          maxTasks: 1000,
          targetRequestsPerTask: 100,
        },
      }),
    );
    for (let i = 0; i < 3; i++) {
      expect(await s.pass()).toMatchObject({
        outcome: 'invalid',
        reason: expect.stringContaining(
          'fargate.maxTasks: 1000 tasks of fargate.cpu 16384 (16 vCPUs each) are 2000 while a change rolls out (ECS starts the new tasks before it stops the old), 32000 vCPUs',
        ),
      });
      s.account.advance(60_000);
    }
    expect(await fargateTier(s)).toEqual(tier);
    expect(ids(s)).toEqual(built);
  });
});
