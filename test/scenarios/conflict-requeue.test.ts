/**
 * How soon a stack held by something not its own comes back (reconciler/status.ts, `requeueAfter`): at the
 * conflict's interval, not every 15 s as a stack that waits for AWS does. Its steps held behind the
 * conflict (an ALB's listeners, the fargate record that needs the ALB to point at) wait on it, not on
 * anything that moves by itself. Against the simulated account: an ALB that is not the stack's takes the
 * stack's ALB name.
 */
import { CONFLICT_RECHECK_MS, WAIT_REQUEUE_MS } from '../../reconciler/engine/come-back';
import type { PassResult } from '../../reconciler/reconcile';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  lastSteps,
  scenario,
  specInput,
  type LastStep,
} from './harness';
import { deleteOurAlb, takeItsName } from './alb-taken';

describe('scenario: a stack held by a conflict comes back at the conflict’s interval', () => {
  it('an ALB not the stack’s at its name: 15 s while a Route 53 change is pending, then every 60 s', async () => {
    const s = scenario({ seed: 73 });
    const zone = await exampleZoneId(s);
    await s.apply(specInput({ mode: 'fargate', dns: exampleDns(zone, EXAMPLE_RECORD) }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });

    // Someone else's hands: the stack's ALB goes, and one of theirs, untagged, takes its name.
    await takeItsName(s, await deleteOurAlb(s));
    s.account.advance(5 * 60_000);

    // The passes roll the traffic back and remove the record of the old ALB; then nothing more moves.
    const passes: { result: PassResult; steps: LastStep[] }[] = [];
    for (let pass = 1; pass <= 20; pass++) {
      const result = await s.pass();
      if (result === 'crashed') throw new Error('no crash was injected');
      passes.push({ result, steps: await lastSteps(s) });
      s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    const status = (id: string, steps: LastStep[]) => steps.find((step) => step.id === id)?.outcome?.status;

    // While the rollback's Route 53 change is PENDING, a real wait, the stack comes back in 15 s.
    const pending = passes.filter(({ steps }) => status('wait:dns-lambda', steps) === 'waiting');
    expect(pending.length).toBeGreaterThan(0);
    for (const { result } of pending) expect(result.requeueAfterMs).toBe(WAIT_REQUEUE_MS);

    // Then held by the conflict alone: the ALB in the way, what needs it blocked or waiting behind it.
    const last = passes.slice(-3);
    for (const { result, steps } of last) {
      expect(result.calls.mutating).toBe(0);
      expect(status('conflict:alb', steps)).toBe('conflict');
      expect(steps.some((step) => step.outcome?.status === 'blocked')).toBe(true);
      expect(status('create:dns-fargate', steps)).toBe('waiting');
      expect(steps.filter((step) => step.id.startsWith('wait:'))).toEqual([
        expect.objectContaining({ outcome: expect.objectContaining({ status: 'blocked' }) }),
      ]);
    }
    expect(last.map(({ result }) => result.requeueAfterMs)).toEqual([
      CONFLICT_RECHECK_MS,
      CONFLICT_RECHECK_MS,
      CONFLICT_RECHECK_MS,
    ]);
  });
});
