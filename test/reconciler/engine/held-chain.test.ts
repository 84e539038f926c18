/**
 * Holds that chain (engine/held-by-dependents.ts): a dependent held by what the pass found (the subnets an
 * ALB names, missed with their VPC) holds in turn what it is in; a dependent whose holder could not be
 * read neither contradicts nor confirms the miss of what it is in.
 */
import { ResourceGraph } from '../../../reconciler/engine/graph';
import { heldMisses, holdersFromView, reviewMisses } from '../../../reconciler/engine/held-by-dependents';
import type { Observation } from '../../../reconciler/engine/types';
import type { ObservedResource } from '../../../reconciler/resources/types';
import { found, heldKind as kind, known, observation, recorder } from './held-kinds';

const GRAPH = ResourceGraph.of([
  kind('vpc'),
  kind('subnet', ['vpc'], { vpc: 'vpcId' }),
  kind('sg', ['vpc'], { vpc: 'vpcId' }),
  /** In the VPC, but AWS deletes the VPC under it: it holds nothing, so it passes nothing on. */
  kind('tg', ['vpc']),
  kind('alb', ['subnet', 'sg'], { subnet: 'subnets', sg: 'securityGroups' }),
  kind('listener', ['alb', 'tg'], { tg: 'targetGroupArn' }, null),
]);

const ALL_KNOWN = { vpc: ['vpc-1'], subnet: ['subnet-1'], sg: ['sg-1'], tg: ['tg-1'], alb: ['alb-1'] };

const alb = (extra: Partial<ObservedResource> = {}) => ({
  ...found('alb', 'alb-1', { subnets: ['subnet-1'], securityGroups: ['sg-1'] }),
  ...extra,
});

/** EC2's listings behind: the VPC and all in it missed; the ALB as given. */
function allInTheVpcMissed(albFound: ObservedResource | undefined): Observation {
  return observation({ vpc: undefined, subnet: undefined, sg: undefined, tg: undefined, alb: albFound });
}

describe('heldMisses: holds that chain', () => {
  it('holds the VPC through the subnets and the group a found ALB holds, all missed', () => {
    expect(heldMisses(GRAPH, allInTheVpcMissed(alb()), known(ALL_KNOWN))).toEqual([
      {
        key: 'vpc',
        id: 'vpc-1',
        by: [
          { key: 'subnet', id: 'subnet-1', heldBy: ['alb'] },
          { key: 'sg', id: 'sg-1', heldBy: ['alb'] },
        ],
      },
      { key: 'subnet', id: 'subnet-1', by: [{ key: 'alb', id: 'alb-1' }] },
      { key: 'sg', id: 'sg-1', by: [{ key: 'alb', id: 'alb-1' }] },
    ]);
  });

  it('holds nothing once the head of the chain is gone, foreign, or taken from an earlier pass’s view', () => {
    expect(heldMisses(GRAPH, allInTheVpcMissed(undefined), known(ALL_KNOWN))).toEqual([]);
    expect(heldMisses(GRAPH, allInTheVpcMissed(alb({ foreign: true })), known(ALL_KNOWN))).toEqual([]);
    expect(heldMisses(GRAPH, allInTheVpcMissed(alb()), known(ALL_KNOWN), new Set(['alb']))).toEqual([]);
  });

  it('holds nothing through a dependent the stack holds no id for (the ALB names another subnet)', () => {
    const other = found('alb', 'alb-1', { subnets: ['subnet-9'], securityGroups: ['sg-9'] });
    expect(heldMisses(GRAPH, allInTheVpcMissed(other), known(ALL_KNOWN))).toEqual([]);
  });

  it('passes nothing on through what holds nothing (a target group a listener holds is in the VPC)', () => {
    const seen = observation({
      vpc: undefined,
      subnet: undefined,
      sg: undefined,
      tg: undefined,
      alb: found('alb', 'alb-1', { subnets: [], securityGroups: [] }),
      listener: found('listener', 'l-1', { targetGroupArn: 'tg-1' }),
    });
    expect(heldMisses(GRAPH, seen, known(ALL_KNOWN))).toEqual([
      { key: 'tg', id: 'tg-1', by: [{ key: 'listener', id: 'l-1' }] },
    ]);
  });

  it('takes a held dependent to be on the id the stack holds first (recorded), not one it forgot', () => {
    const ids = { ...ALL_KNOWN, vpc: ['vpc-2', 'vpc-1'] };
    expect(heldMisses(GRAPH, allInTheVpcMissed(alb()), known(ids))[0]).toMatchObject({
      key: 'vpc',
      id: 'vpc-2',
    });
  });

  it('believes a found dependent’s id before a held one’s', () => {
    const seen = allInTheVpcMissed(alb());
    seen.resources.subnet = found('subnet', 'subnet-1', { vpcId: 'vpc-1' });
    const ids = { ...ALL_KNOWN, vpc: ['vpc-2', 'vpc-1'] };
    expect(heldMisses(GRAPH, seen, known(ids))).toEqual([
      { key: 'vpc', id: 'vpc-1', by: [{ key: 'subnet', id: 'subnet-1' }] },
      { key: 'sg', id: 'sg-1', by: [{ key: 'alb', id: 'alb-1' }] },
    ]);
  });

  it('follows a chain to its end, however long, in one go', () => {
    const chain = ResourceGraph.of([
      kind('a'),
      kind('b', ['a'], { a: 'a' }),
      kind('c', ['b'], { b: 'b' }),
      kind('d', ['c'], { c: 'c' }),
    ]);
    const seen: Observation = {
      resources: { a: undefined, b: undefined, c: undefined, d: found('d', 'd-1', { c: 'c-1' }) },
      unknown: {},
    };
    const ids = known({ a: ['a-1'], b: ['b-1'], c: ['c-1'], d: ['d-1'] });
    expect(heldMisses(chain, seen, ids)).toEqual([
      { key: 'a', id: 'a-1', by: [{ key: 'b', id: 'b-1', heldBy: ['c'] }] },
      { key: 'b', id: 'b-1', by: [{ key: 'c', id: 'c-1', heldBy: ['d'] }] },
      { key: 'c', id: 'c-1', by: [{ key: 'd', id: 'd-1' }] },
    ]);
  });
});

describe('holdersFromView: a chain whose head was taken from the view', () => {
  it('reads the head again (the ALB), not the held dependents, which were not read at all', () => {
    const seen = allInTheVpcMissed(alb());
    expect(holdersFromView(GRAPH, seen, known(ALL_KNOWN), new Set(['alb']))).toEqual(['alb']);
    expect(holdersFromView(GRAPH, seen, known(ALL_KNOWN), new Set())).toEqual([]);
  });
});

describe('reviewMisses: a chain held', () => {
  it('keeps the VPC, the subnets and the group, says why, and takes back what was found through the VPC', () => {
    const seen = allInTheVpcMissed(alb());
    const { calls, review } = recorder(ALL_KNOWN);
    expect(reviewMisses(GRAPH, seen, review).map((miss) => miss.key)).toEqual(['vpc', 'subnet', 'sg']);
    // What was found through the VPC is taken back, however indirectly (the listener through the target group).
    expect(calls).toEqual([
      'held vpc vpc-1',
      'held subnet subnet-1',
      'held sg sg-1',
      'unjudged tg',
      'unjudged listener',
    ]);
    expect(seen.unknown.vpc).toBe(
      'finding Test::vpc (vpc): vpc-1 was not found, but subnet (subnet-1), sg (sg-1), missed too but ' +
        'held by alb, are in it: AWS deletes no vpc with these in it, nor these while what holds them ' +
        'exists: a stale or partial read, not a deletion; not made again, read again by the next pass',
    );
    expect(seen.unknown.subnet).toMatch(/subnet-1 was not found, but alb \(alb-1\), found by this pass/);
    expect(seen.unknown.tg).toBe('finding Test::tg (tg): its dependency vpc could not be observed');
  });

  it('keeps nothing of a VPC really deleted with everything in it, the ALB first', () => {
    const seen = allInTheVpcMissed(undefined);
    const { calls, review } = recorder(ALL_KNOWN);
    expect(reviewMisses(GRAPH, seen, review)).toEqual([]);
    expect(calls).toEqual([]);
    expect(seen.unknown).toEqual({});
  });
});

describe('reviewMisses: a chain whose head could not be read', () => {
  const throttled = (unknown: Record<string, string> = {}): Observation => ({
    resources: { vpc: undefined, subnet: undefined, sg: undefined, tg: undefined },
    unknown: { alb: 'finding Test::alb (alb): Rate exceeded', ...unknown },
    unread: { alb: true },
  });

  it('counts none of the misses down the chain: the subnets, the group, and the VPC they are in', () => {
    const seen = throttled();
    const { calls, review } = recorder(ALL_KNOWN);
    expect(reviewMisses(GRAPH, seen, review)).toEqual([]);
    expect(calls.slice(0, 3)).toEqual(['unjudged vpc', 'unjudged subnet', 'unjudged sg']);
    expect(calls.slice(3)).toEqual(['unjudged tg', 'unjudged alb', 'unjudged listener']);
    expect(seen.unknown.vpc).toMatch(
      /not found, but subnet, sg, which AWS deletes no vpc before, could not be read/,
    );
    expect(seen.unknown.subnet).toMatch(/not found, but alb, .* could not be read/);
  });

  it('passes on a miss already unknown for its own reason (missed once), leaving its reason', () => {
    const once = 'finding Test::subnet (subnet): subnet-1 was seen by an earlier pass and is missing now';
    const seen = throttled({ subnet: once });
    const { calls, review } = recorder(ALL_KNOWN);
    reviewMisses(GRAPH, seen, review);
    expect(calls.slice(0, 2)).toEqual(['unjudged vpc', 'unjudged sg']);
    expect(calls).not.toContain('unjudged subnet');
    expect(seen.unknown.subnet).toBe(once);
    expect(seen.unknown.vpc).toMatch(/not found, but subnet, sg, .* could not be read/);
  });

  it('passes nothing on through a dependent the stack holds no id for', () => {
    const seen = throttled();
    const { calls, review } = recorder({ vpc: ['vpc-1'], alb: ['alb-1'] });
    reviewMisses(GRAPH, seen, review);
    expect(calls).toEqual([]);
    expect(seen.unknown.vpc).toBeUndefined();
  });
});
