/**
 * Scenario: a scale-up with a custom domain, pass by pass. The fargate record is made once its ALB is,
 * never tried before (it has no alias target without the ALB's DNS name): a step run only to fail shows
 * the user a warning ("Needs attention") on an ordinary scale-up.
 */
import type { StepOutcome } from '../../reconciler/engine/types';
import { EXAMPLE_RECORD, exampleDns, exampleZoneId, lastSteps, scenario, specInput, STACK } from './harness';

describe('scenario: a scale-up with a custom domain', () => {
  it('never runs the fargate record step before its ALB exists, and fails none of its steps', async () => {
    const s = scenario({ seed: 23 });
    const dns = exampleDns(await exampleZoneId(s), EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'lambda', dns }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });

    await s.apply(specInput({ mode: 'fargate', dns }));
    const failed: { step: string; outcome: StepOutcome }[] = [];
    let recordSteps = 0;
    let settled = false;
    for (let i = 0; i < 200 && !settled; i++) {
      const result = await s.pass();
      if (result === 'crashed') throw new Error('no crash was asked for');
      for (const step of await lastSteps(s)) {
        if (step.id === 'create:dns-fargate' && step.outcome?.status !== 'blocked') recordSteps += 1;
        if (step.outcome?.status === 'retryable' || step.outcome?.status === 'terminal')
          failed.push({ step: step.id, outcome: step.outcome });
      }
      settled = result.settled;
      s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(settled).toBe(true);
    expect(recordSteps).toBeGreaterThan(0);
    expect(failed).toEqual([]);
    const events = (await s.store.get(STACK))!.events.filter((e) => e.type === 'Warning');
    expect(events.map((e) => e.message)).toEqual([]);
  });
});
