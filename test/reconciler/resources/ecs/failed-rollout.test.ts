import type { Observation, Plan, PlanStep } from '../../../../reconciler/engine/types';
import {
  markFailedRollout,
  registersTaskDefinition,
} from '../../../../reconciler/resources/ecs/failed-rollout';
import type { EcsServiceExtra } from '../../../../reconciler/resources/ecs/service';
import { observed } from '../fixtures';

const td = (revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/lf-orders-api-task:${revision}`;
const FAILED = 'ECS deployment circuit breaker: tasks failed to start.';

function observation(options: { wanted: number; running: number; listedFailed?: number[] }): Observation {
  const extra: EcsServiceExtra = {
    runningCount: 2,
    desiredCount: 2,
    healthyTargets: 2,
    rollout: { taskDefinition: td(options.running), state: 'COMPLETED' },
    failedRollouts: (options.listedFailed ?? []).map((r) => ({ taskDefinition: td(r), reason: FAILED })),
  };
  return {
    resources: {
      'task-definition': observed(
        'task-definition',
        'AWS::ECS::TaskDefinition',
        td(options.wanted),
        {},
        {
          arn: td(options.wanted),
        },
      ),
      service: observed(
        'service',
        'AWS::ECS::Service',
        'svc',
        { taskDefinition: td(options.running) },
        {
          extra,
        },
      ),
    },
    unknown: {},
  };
}

describe('markFailedRollout', () => {
  it('marks the service when ECS lists the wanted revision FAILED, and says it rolled back', () => {
    const obs = observation({ wanted: 2, running: 1, listedFailed: [2] });
    expect(markFailedRollout(obs, undefined, false)).toEqual({ taskDefinition: td(2), reason: FAILED });
    expect(obs.resources.service!.failed).toBe(
      `the rollout of lf-orders-api-task:2 failed: ${FAILED} (ECS rolled the service back to lf-orders-api-task:1); ` +
        'fix the image or the settings and apply the spec again',
    );
  });

  it('remembers it after ECS stopped listing it (the rollback completed)', () => {
    const obs = observation({ wanted: 2, running: 1 });
    const recorded = { taskDefinition: td(2), reason: FAILED };
    expect(markFailedRollout(obs, recorded, false)).toEqual(recorded);
    expect(obs.resources.service!.failed).toMatch(/rollout of lf-orders-api-task:2 failed/);
  });

  it('forgets it once another revision is wanted, or a new one is being registered', () => {
    const recorded = { taskDefinition: td(2), reason: FAILED };
    const newer = observation({ wanted: 3, running: 1 });
    expect(markFailedRollout(newer, recorded, false)).toBeUndefined();
    expect(newer.resources.service!.failed).toBeUndefined();
    const registering = observation({ wanted: 2, running: 1, listedFailed: [2] });
    expect(markFailedRollout(registering, recorded, true)).toBeUndefined();
    expect(registering.resources.service!.failed).toBeUndefined();
  });

  it('says that ECS launches no more when the first rollout failed (nothing to roll back to)', () => {
    const obs = observation({ wanted: 1, running: 1, listedFailed: [1] });
    markFailedRollout(obs, undefined, false);
    expect(obs.resources.service!.failed).toMatch(/\(ECS launches no more of its tasks\)/);
  });
});

describe('registersTaskDefinition', () => {
  const planOf = (...steps: Partial<PlanStep>[]): Plan => ({
    stack: 'orders-api',
    targetTier: 'fargate',
    at: 0,
    steps: steps.map(
      (s) => ({ id: `${s.action}:${s.key}`, type: 'x', reason: 'x', dependsOn: [], ...s }) as PlanStep,
    ),
  });

  it.each([
    ['a new task definition', planOf({ action: 'create', key: 'task-definition' }), true],
    [
      'a changed one',
      planOf({ action: 'update', key: 'task-definition', changes: [{ path: 'containers', from: 1, to: 2 }] }),
      true,
    ],
    [
      'only old revisions deregistered',
      planOf({
        action: 'update',
        key: 'task-definition',
        changes: [{ path: 'supersededRevisions', from: ['a'], to: [] }],
      }),
      false,
    ],
    ['a service update', planOf({ action: 'update', key: 'service' }), false],
  ])('%s: %s', (_name, plan, expected) => {
    expect(registersTaskDefinition(plan)).toBe(expected);
  });
});
