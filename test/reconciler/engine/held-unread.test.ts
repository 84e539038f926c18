/**
 * reviewMisses: a miss that no read of the pass can contradict or confirm, because a dependent holding
 * it (one the stack holds too) could not be read, is not counted: unknown, its verdict taken back.
 */
import { ResourceGraph } from '../../../reconciler/engine/graph';
import { reviewMisses, type MissReview } from '../../../reconciler/engine/held-by-dependents';
import type { Observation } from '../../../reconciler/engine/types';
import { heldKind as kind } from './held-kinds';

const GRAPH = ResourceGraph.of([
  kind('vpc'),
  kind('subnet', ['vpc'], { vpc: 'vpcId' }),
  kind('tg', ['vpc']),
  kind('alb', ['subnet']),
]);

function review(known: Record<string, string[]>) {
  const calls: string[] = [];
  const ledger: MissReview = {
    knownIds: (key) => known[key] ?? [],
    heldByDependent: (key, id) => calls.push(`held ${key} ${id}`),
    unjudged: (key) => calls.push(`unjudged ${key}`),
  };
  return { ledger, calls };
}

describe('reviewMisses: a miss whose holders could not be read', () => {
  const throttled = (): Observation => ({
    resources: { vpc: undefined, tg: undefined, alb: undefined },
    unknown: { subnet: 'finding Test::subnet (subnet): Request limit exceeded.' },
    unread: { subnet: true },
  });

  it('is unknown, its verdict taken back, and so is what was found through it', () => {
    const seen = throttled();
    const { ledger, calls } = review({ vpc: ['vpc-1'], subnet: ['subnet-1'], tg: ['tg-1'] });
    reviewMisses(GRAPH, seen, ledger);
    // What depends on the VPC is taken back too, the throttled subnet and the ALB found through it included.
    expect(calls).toEqual(['unjudged vpc', 'unjudged subnet', 'unjudged tg', 'unjudged alb']);
    expect(seen.unknown.vpc).toMatch(/not found, but subnet, .* could not be read/);
    expect(seen.unknown.tg).toMatch(/its dependency vpc could not be observed/);
  });

  it('counts as before when the stack holds no such dependent, or holds nothing for the key', () => {
    const cases: Record<string, string[]>[] = [{ vpc: ['vpc-1'] }, { subnet: ['subnet-1'] }];
    for (const known of cases) {
      const seen = throttled();
      const { ledger, calls } = review(known);
      reviewMisses(GRAPH, seen, ledger);
      expect(calls).toEqual([]);
      expect(seen.unknown.vpc).toBeUndefined();
    }
  });
});
