/**
 * pinnedTier: modes lambda and fargate pin the tier; mode auto without metrics stays where the stack is,
 * and a Fargate tier that could not be observed is not read as gone (nor as there).
 */
import { pinnedTier } from '../../../reconciler/decide/pinned';
import type { Observation } from '../../../reconciler/engine/types';
import type { ObservedResource, ManagedResource } from '../../../reconciler/resources/types';
import { testSpec } from '../resources/fixtures';

const kinds = [
  { key: 'lambda-function', tier: 'lambda', neededBy: () => true },
  { key: 'vpc', tier: 'fargate', neededBy: () => true },
  { key: 'alb', tier: 'fargate', neededBy: () => true },
] as unknown as readonly ManagedResource[];

const seen = (key: string) =>
  ({ key, type: `Test::${key}`, id: `id-${key}`, tags: {}, attributes: {}, ready: true }) as ObservedResource;

function observation(found: string[], unknown: string[] = []): Observation {
  return {
    resources: Object.fromEntries(found.map((key) => [key, seen(key)])),
    unknown: Object.fromEntries(unknown.map((key) => [key, `finding ${key}: Throttling`])),
  };
}

const auto = testSpec({ mode: 'auto' });
const decide = (obs: Observation, lastTier?: 'lambda' | 'fargate') =>
  pinnedTier(auto, { deletionRequested: false, observation: obs, kinds, ...(lastTier ? { lastTier } : {}) });

describe('pinnedTier in mode auto', () => {
  it('stays on the tier that exists', () => {
    expect(decide(observation(['lambda-function'])).tier).toBe('lambda');
    expect(decide(observation(['lambda-function', 'vpc'], ['alb'])).tier).toBe('fargate');
  });

  it.each(['lambda', 'fargate'] as const)(
    'keeps the last decided tier (%s) while the Fargate tier could not be observed',
    (last) => {
      const decision = decide(observation(['lambda-function'], ['vpc', 'alb']), last);
      expect(decision.tier).toBe(last);
      expect(decision.reason).toMatch(/could not observe vpc, alb; staying on/);
    },
  );

  it('names only the unobserved resources the spec has (no DNS record without a custom domain)', () => {
    const withDns = [
      ...kinds,
      { key: 'dns-fargate', tier: 'fargate', neededBy: () => false },
    ] as unknown as readonly ManagedResource[];
    const decision = pinnedTier(auto, {
      deletionRequested: false,
      observation: observation(['lambda-function'], ['alb', 'dns-fargate']),
      kinds: withDns,
      lastTier: 'lambda',
    });
    expect(decision.reason).toBe('mode auto: could not observe alb; staying on Lambda, as last decided');
  });

  it('is pinned by modes lambda and fargate and a delete request whatever was observed', () => {
    const obs = observation([], ['vpc']);
    const opts = { deletionRequested: false, observation: obs, kinds, lastTier: 'lambda' as const };
    expect(pinnedTier(testSpec({ mode: 'fargate' }), opts).tier).toBe('fargate');
    expect(pinnedTier(testSpec({ mode: 'lambda' }), { ...opts, lastTier: 'fargate' }).tier).toBe('lambda');
    expect(pinnedTier(auto, { ...opts, deletionRequested: true }).tier).toBe('none');
  });
});
