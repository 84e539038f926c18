/**
 * The auto policy and the traffic engine compute task counts (ahead of a rise, for a learned burst, for
 * the whole rate while scaling up), and the reconciler sets them as the scalable target's minimum. None
 * may take a stack past the ceiling on its Fargate vCPUs (`bootstrap --max-fargate-vcpus`): every count is
 * held to the spec's `maxTasks`, which a spec the pass acts on has within the ceiling. Checked here for
 * any spec within a ceiling and any demand, however far beyond it.
 */
import fc from 'fast-check';
import { FARGATE_CPUS } from '../../../aws-facts/fargate-sizes';
import { tasksAhead, trackedTasks } from '../../../reconciler/decide/capacity-ahead';
import { scalableTargetResource } from '../../../reconciler/resources/autoscaling/scaling';
import { fargateMinTasks, withIntent } from '../../../reconciler/resources/intent';
import { CEILINGS, ceilingRefusal, fargateVcpus } from '../../../reconciler/state/ceilings';
import { tasksForRate } from '../../../reconciler/traffic/capacity';
import type { DesiredState, FargateSize } from '../../../spec/types';
import { testSpec } from '../engine/fake-kinds';

/** A spec the pass acts on under `ceiling`: its Fargate tier within it, and the ceiling itself. */
const withinACeiling = fc
  .record({
    ceiling: fc.integer({ min: 8, max: 32_000 }),
    cpu: fc.constantFrom(...FARGATE_CPUS),
    minTasks: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ ceiling, cpu, minTasks }) => {
    // Rule changed: the ceiling counts the rollout's tasks, twice maxTasks.
    const maxTasks = Math.min(1000, Math.floor((ceiling * 1024) / cpu / 2));
    return { ceiling, cpu, maxTasks, minTasks: Math.min(minTasks, maxTasks) };
  })
  .filter(({ maxTasks }) => maxTasks >= 1);

function specOf(fargate: Pick<FargateSize, 'cpu' | 'minTasks' | 'maxTasks'>): DesiredState {
  const spec = testSpec({ mode: 'auto' });
  return { ...spec, fargate: { ...spec.fargate, ...fargate, targetRequestsPerTask: 100 } };
}

const vcpus = (tasks: number, cpu: number) => fargateVcpus({ cpu, maxTasks: tasks });

describe('no task count the reconciler computes goes past the Fargate ceiling', () => {
  it('tracked, ahead of a rise, for the whole rate, as the raised minimum, and as the maximum', () => {
    fc.assert(
      fc.property(
        withinACeiling,
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 10_000_000 }),
        ({ ceiling, ...fargate }, rps, asked) => {
          const spec = specOf(fargate);
          const system = { hostedZones: [], zoneNames: {}, maxFargateVcpus: ceiling };
          expect(ceilingRefusal(CEILINGS.fargateVcpus, spec, system)).toBeUndefined();
          const ahead = tasksAhead({
            trend: {
              level: rps,
              slope: rps / 10 + 1,
              noise: 1,
              minuteNoise: 1,
              largestRise: rps / 10 + 1,
              span: 14,
              newest: 99,
              points: 15,
            },
            recent: [rps * 0.6, rps * 0.7, rps * 0.8, rps * 0.9, rps],
            minutesSinceNewest: 3,
            fargate: spec.fargate,
          });
          const raised = fargateMinTasks(spec, withIntent({ fargateMinTasks: asked }));
          const target = scalableTargetResource.desiredAttributes!(
            spec,
            {},
            withIntent({ fargateMinTasks: asked }),
          );
          for (const tasks of [
            trackedTasks(rps, spec.fargate),
            tasksForRate(spec, rps),
            ahead?.tasks ?? 0,
            raised,
            target['minCapacity'] as number,
            target['maxCapacity'] as number,
          ]) {
            expect(tasks).toBeLessThanOrEqual(spec.fargate.maxTasks);
            expect(vcpus(tasks, spec.fargate.cpu)).toBeLessThanOrEqual(ceiling);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a demand of a million requests a second on a stack at a ceiling of 16 vCPUs asks for 8 tasks of 1 vCPU, not more', () => {
    const spec = specOf({ cpu: 1024, minTasks: 1, maxTasks: 8 });
    expect(trackedTasks(1e6, spec.fargate)).toBe(8);
    expect(tasksForRate(spec, 1e6)).toBe(8);
    expect(fargateMinTasks(spec, withIntent({ fargateMinTasks: 10_000 }))).toBe(8);
  });
});
