/**
 * A change of ours Route 53 answers NoSuchChange for (record-observation.ts, state `NO_SUCH_CHANGE`):
 * AWS documents no expiry of change ids, so the answer says nothing of whether the records are in sync.
 * The traffic engine reads it as not in sync (safety rule 6): the change stays the one it waits on (its
 * id kept, asked again), and nothing counts from it until Route 53 answers INSYNC for it.
 */
import { decideTraffic, DNS_KEYS, type ShiftState } from '../../../reconciler/traffic/shift';
import { input, resource, withLeftovers } from './world';

/** `base` with the lambda record's kept change unknown to Route 53. */
function notKnown(base: ReturnType<typeof input>): ReturnType<typeof input> {
  const lambda = resource(DNS_KEYS.lambda, {
    attributes: { weight: 100 },
    state: 'NO_SUCH_CHANGE',
    ready: false,
  });
  return {
    ...base,
    observation: {
      ...base.observation,
      resources: { ...base.observation.resources, [DNS_KEYS.lambda]: lambda as never },
    },
  };
}

describe('decideTraffic with a change Route 53 answers NoSuchChange for', () => {
  const fargateUp = { alb: 'active' as const, healthy: 1, lambdaWeight: 100, fargateWeight: 0 };

  it('on the way down: no drain starts, the Fargate tier stays, the known change is still waited on', () => {
    const previous: ShiftState = { fargateWeight: 0, knownChange: true };
    const decision = decideTraffic(notKnown(input('lambda', fargateUp, previous)));
    expect(decision.planResources).toBe('lambda-tier-and-records');
    expect(decision.shift).toEqual({ fargateWeight: 0, knownChange: true });
    expect(decision.reason).toMatch(/Route 53 change pending/);
  });

  it('at the old name: no wait starts while its removal’s change is not known to be INSYNC', () => {
    const left = {
      ...resource('dns-leftovers', { attributes: { names: ['old.example.com.'], fargatePercent: 0 } }),
      state: 'NO_SUCH_CHANGE',
      ready: false,
      extra: { leftovers: [{ hostedZoneId: 'Z0LD', recordName: 'old.example.com.', records: [] }] },
    };
    const previous: ShiftState = { fargateWeight: 100, oldName: { knownChange: true } };
    const base = withLeftovers(input('fargate', { alb: 'active', healthy: 1 }, previous), left as never);
    const decision = decideTraffic(base);
    expect(decision.oldNameDrains).toBe(true);
    expect(decision.shift.oldName).toEqual({ knownChange: true });
  });
});
