/**
 * What keeps a stack from being called settled: resources it forgot that the Tagging API still lists and
 * its observation did not find (reconciler/engine/missed-but-listed.ts).
 */
import {
  anyYoungPair,
  LISTED_HOLDS_FOR_MS,
  missedButListed,
  missedButListedMessage,
  type MissedButListedInput,
} from '../../../reconciler/engine/missed-but-listed';
import type { Observation } from '../../../reconciler/engine/types';
import type { ObservedResource } from '../../../reconciler/resources/types';

const NOW = 1_700_000_000_000;
const VPC = 'vpc-0abc';
const VPC_ARN = `arn:aws:ec2:us-east-1:123456789012:vpc/${VPC}`;
const ALB_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lf-orders-api-alb/50dc6c495c0c9188';

const nothing: Observation = { resources: {}, unknown: {} };

function found(key: string, id: string, extra: Partial<ObservedResource> = {}): ObservedResource {
  return { key, type: 'AWS::Test::Thing', id, tags: {}, attributes: {}, ready: true, ...extra };
}

function input(overrides: Partial<MissedButListedInput> = {}): MissedButListedInput {
  return {
    inventory: [VPC_ARN],
    forgotten: { vpc: [{ id: VPC, nonce: 'n1', at: NOW - 60_000 }] },
    observation: nothing,
    now: NOW,
    ...overrides,
  };
}

describe('missedButListed', () => {
  it('counts a forgotten EC2 id the inventory lists by ARN and the observation did not find', () => {
    expect(missedButListed(input())).toEqual([{ key: 'vpc', id: VPC, forgottenAt: NOW - 60_000 }]);
  });

  it('counts a forgotten ARN (ELBv2) listed as it is', () => {
    const forgotten = { alb: [{ id: ALB_ARN, nonce: 'n2', at: NOW - 1_000 }] };
    expect(missedButListed(input({ inventory: [ALB_ARN], forgotten }))).toEqual([
      { key: 'alb', id: ALB_ARN, forgottenAt: NOW - 1_000 },
    ]);
  });

  it.each<[string, Partial<MissedButListedInput>]>([
    ['the inventory no longer lists it (gone)', { inventory: [] }],
    ['it is found again, in use', { observation: { resources: { vpc: found('vpc', VPC) }, unknown: {} } }],
    [
      'it is found as a duplicate to delete',
      {
        observation: {
          resources: { vpc: found('vpc', 'vpc-new') },
          unknown: {},
          duplicates: { vpc: [found('vpc', VPC)] },
        },
      },
    ],
    [
      'it is found and reported as foreign',
      { observation: { resources: {}, unknown: {}, foreign: { vpc: [found('vpc', VPC)] } } },
    ],
    ['it is tracked as an earlier one, which the plan retires', { earlier: { vpc: [VPC] } }],
    [
      'it was forgotten an hour ago or more (taken for the index lagging a delete)',
      { forgotten: { vpc: [{ id: VPC, nonce: 'n1', at: NOW - LISTED_HOLDS_FOR_MS }] } },
    ],
    ['the stack forgot nothing', { forgotten: {} }],
  ])('counts nothing when %s', (_why, overrides) => {
    expect(missedButListed(input(overrides))).toEqual([]);
  });

  it('counts a forgotten name (an IAM role) only when listed as a whole ARN, not at the end of another', () => {
    const role = 'lf-orders-api-lambda-role-us-east-1';
    const forgotten = { 'lambda-role': [{ id: role, nonce: 'n3', at: NOW - 1_000 }] };
    const decoy = `arn:aws:ecs:us-east-1:123456789012:cluster/${role}`;
    expect(missedButListed(input({ inventory: [decoy], forgotten, arnServices: {} }))).toEqual([]);
    expect(missedButListed(input({ inventory: undefined, forgotten, arnServices: {} }))).toHaveLength(1);
  });

  it('counts a forgotten id at the end of an ARN only under its own service (an API id named by a decoy)', () => {
    const forgotten = { 'http-api': [{ id: 'a1b2c3d4e5', nonce: 'n4', at: NOW - 1_000 }] };
    const arnServices = { 'http-api': 'apigateway', vpc: 'ec2' };
    const decoy = 'arn:aws:ecs:us-east-1:123456789012:cluster/a1b2c3d4e5';
    const api = 'arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5';
    expect(missedButListed(input({ inventory: [decoy], forgotten, arnServices }))).toEqual([]);
    expect(missedButListed(input({ inventory: [api], forgotten, arnServices }))).toHaveLength(1);
    expect(missedButListed(input({ arnServices }))).toHaveLength(1);
  });

  it('counts what the inventory lists with copied tags of the stack only when it is a forgotten pair', () => {
    const copy = 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-copy';
    expect(missedButListed(input({ inventory: [copy] }))).toEqual([]);
  });

  it('counts a young pair when the inventory could not be listed: unknown is not absent', () => {
    expect(missedButListed(input({ inventory: undefined }))).toEqual([
      { key: 'vpc', id: VPC, forgottenAt: NOW - 60_000 },
    ]);
  });

  it('counts a pair forgotten less than the bound ago, and one dated after now (a clock behind)', () => {
    const young = { id: VPC, nonce: 'n1', at: NOW - LISTED_HOLDS_FOR_MS + 1 };
    expect(missedButListed(input({ forgotten: { vpc: [young] } }))).toHaveLength(1);
    const ahead = { id: VPC, nonce: 'n1', at: NOW + 5_000 };
    expect(missedButListed(input({ forgotten: { vpc: [ahead] } }))).toHaveLength(1);
  });

  it('counts no pair of a resource the stack deleted itself (its listing is the index behind the delete), listed or not', () => {
    const deleted = { id: VPC, nonce: 'n1', at: NOW - 60_000, deleteSentAt: NOW - 120_000 };
    expect(missedButListed(input({ forgotten: { vpc: [deleted] } }))).toEqual([]);
    expect(missedButListed(input({ forgotten: { vpc: [deleted] }, inventory: undefined }))).toEqual([]);
  });

  it('lists several by key, then id', () => {
    const forgotten = {
      vpc: [{ id: VPC, nonce: 'n1', at: NOW }],
      'subnet-b': [{ id: 'subnet-2', nonce: 'n3', at: NOW }],
      'subnet-a': [{ id: 'subnet-1', nonce: 'n4', at: NOW }],
    };
    const inventory = [VPC_ARN, ...['subnet-1', 'subnet-2'].map((id) => `arn:aws:ec2:r:1:subnet/${id}`)];
    expect(missedButListed(input({ forgotten, inventory })).map((m) => m.key)).toEqual([
      'subnet-a',
      'subnet-b',
      'vpc',
    ]);
  });
});

describe('anyYoungPair', () => {
  it('is whether a pair was forgotten less than LISTED_HOLDS_FOR_MS ago', () => {
    expect(anyYoungPair({}, NOW)).toBe(false);
    expect(anyYoungPair({ vpc: [{ id: VPC, nonce: 'n', at: NOW - LISTED_HOLDS_FOR_MS }] }, NOW)).toBe(false);
    expect(anyYoungPair({ vpc: [{ id: VPC, nonce: 'n', at: NOW - 1 }] }, NOW)).toBe(true);
  });

  it('leaves out the pairs of resources the stack deleted itself', () => {
    const deleted = { id: VPC, nonce: 'n', at: NOW - 1, deleteSentAt: NOW - 60_000 };
    expect(anyYoungPair({ vpc: [deleted] }, NOW)).toBe(false);
  });
});

describe('missedButListedMessage', () => {
  it('names each (up to eight) and says whether the Tagging API answered', () => {
    const one = [{ key: 'vpc', id: VPC, forgottenAt: NOW }];
    expect(missedButListedMessage(one, true)).toBe(
      `vpc (${VPC}): forgotten after no finder showed it for the not-found window, and the Resource ` +
        "Groups Tagging API still lists it with the stack's tag; read again before the stack is called " +
        "settled (deleted once found again and proven the stack's)",
    );
    expect(missedButListedMessage(one, false)).toContain('could not be asked whether it still lists it');
    const ten = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, id: `id-${i}`, forgottenAt: NOW }));
    const message = missedButListedMessage(ten, true);
    expect(message).toMatch(/^k0 \(id-0\), .*k7 \(id-7\) and 2 more: .*showed them/);
    expect(message).not.toContain('k8');
  });
});
