import { couldNotObserve } from '../../../reconciler/resources/named-unobserved';
import type { ManagedResource } from '../../../reconciler/resources/types';
import { testSpec } from '../engine/fake-kinds';

/** A kind the spec needs only with a custom domain, as the Fargate tier's DNS record. */
const kinds = [
  { key: 'alb', neededBy: () => true },
  { key: 'dns-fargate', neededBy: (spec: { dns?: unknown }) => spec.dns !== undefined },
] as unknown as ManagedResource[];

describe('couldNotObserve', () => {
  it('names only the kinds the spec has', () => {
    expect(couldNotObserve(['alb', 'dns-fargate'], testSpec(), kinds)).toBe('could not observe alb');
  });

  it('names every key when the spec needs none of them, rather than nothing', () => {
    expect(couldNotObserve(['dns-fargate'], testSpec(), kinds)).toBe('could not observe dns-fargate');
  });

  it('names a key no kind describes (it cannot be judged unneeded)', () => {
    expect(couldNotObserve(['alb', 'route'], testSpec(), kinds)).toBe('could not observe alb, route');
  });
});
