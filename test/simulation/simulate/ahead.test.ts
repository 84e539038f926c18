/**
 * Tasks ahead of a rise, end to end: the decider's minimum reaches the scalable target through the real
 * reconciler (decide, plan, apply against the simulated account), and the service has the tasks before
 * the rate needs them.
 */
import { simulateTrace, type SimulationResult } from '../../../simulation/simulate';
import type { Trace } from '../../../simulation/traffic';
import type { DesiredStateInput } from '../../../spec/types';

const SPEC: DesiredStateInput = {
  stack: 'shop',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1',
  mode: 'auto',
  fargate: { cpu: 512, memoryMb: 1024, minTasks: 1, maxTasks: 10, targetRequestsPerTask: 100 },
};

/**
 * 25 minutes at 110 rps (the stack moves to Fargate, on 2 tasks), then 10 rps more every minute up to 450:
 * target tracking, a minute behind, would miss every minute that crosses a hundred.
 */
function rise(): Trace {
  const rps = (minute: number) => (minute < 25 ? 110 : Math.min(450, 110 + 10 * (minute - 24)));
  return { rows: Array.from({ length: 70 }, (_, minute) => ({ minute, rps: rps(minute), durationMs: 100 })) };
}

describe('tasks ahead of a rise', () => {
  let result: SimulationResult;
  beforeAll(async () => {
    result = await simulateTrace({ trace: rise(), spec: SPEC, seed: 5 });
  }, 120_000);

  it('is on Fargate before the rise starts', () => {
    const onFargate = result.timeline.find((e) => e.phase === 'Fargate');
    expect(onFargate?.minute).toBeLessThan(25);
  });

  it('runs more tasks than the rate of the minute needs while it rises, and never too few', () => {
    const rising = result.timeline.filter((e) => e.minute >= 30 && e.minute < 55);
    expect(rising.some((e) => e.tasks > Math.ceil(e.rps / 100))).toBe(true);
    expect(result.sloViolationMinutes).toBe(0);
  });

  it('says why in the decision', () => {
    // The transition into Fargate is the only one; its reason is the decider's at that pass. The tasks'
    // reasons are in the status of later passes, which the timeline does not keep: the tasks show them.
    expect(result.transitions.map((t) => t.to)).toEqual(['ScalingUp', 'Fargate']);
  });
});
