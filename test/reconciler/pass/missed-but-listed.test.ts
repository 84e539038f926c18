/**
 * The pass's check, after apply, that what the stack forgot is not still listed before it calls the stack
 * settled or its deletion done (reconciler/pass/missed-but-listed.ts): when it asks the Tagging API, with
 * what, and what it concludes. The Tagging API is mocked (aws-sdk-client-mock).
 */
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import 'aws-sdk-client-mock-jest';
import { OwnershipLedger } from '../../../reconciler/engine/ownership';
import type { ApplyResult, Plan } from '../../../reconciler/engine/types';
import { stillListed, type StillListedInput } from '../../../reconciler/pass/missed-but-listed';
import { passOutcome } from '../../../reconciler/pass/outcome';
import { ALL_RESOURCES } from '../../../reconciler/resources';
import type { ForgottenResource } from '../../../reconciler/state/bookkeeping';
import { testContext } from '../resources/fixtures';
import { mockTagging, taggingPage } from '../aws/tagging-fixtures';

const tagging = mockTagging();
const NOW = 1_700_000_000_000;
const VPC = 'vpc-0abc';
const VPC_ARN = `arn:aws:ec2:us-east-1:123456789012:vpc/${VPC}`;
const PAIRS: Record<string, ForgottenResource[]> = { vpc: [{ id: VPC, nonce: 'n1', at: NOW - 60_000 }] };

const nothingPlanned: Plan = { stack: 'orders-api', at: NOW, steps: [] };
const applied = (overrides: Partial<ApplyResult> = {}): ApplyResult => ({
  outcomes: {},
  observation: { resources: {}, unknown: {} },
  settled: true,
  outOfTime: false,
  ...overrides,
});

function input(overrides: Partial<StillListedInput> & { forgotten?: typeof PAIRS } = {}): StillListedInput {
  const { forgotten = PAIRS, ...rest } = overrides;
  return {
    clients: testContext().clients,
    stack: 'orders-api',
    ledger: new OwnershipLedger({ owned: {}, intents: {}, earlier: {}, forgotten }, () => NOW),
    kinds: ALL_RESOURCES,
    plan: nothingPlanned,
    result: applied(),
    trafficPhase: 'Lambda',
    terminal: undefined,
    deletionRequested: false,
    now: NOW,
    ...rest,
  };
}

describe('stillListed', () => {
  it('lists the stack’s inventory when the pass would settle it and it forgot something lately', async () => {
    tagging.on(GetResourcesCommand).resolves(taggingPage([VPC_ARN]));
    expect(await stillListed(input())).toEqual({
      missed: [{ key: 'vpc', id: VPC, forgottenAt: NOW - 60_000 }],
      listed: true,
    });
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 1);
    expect(tagging).toHaveReceivedCommandWith(GetResourcesCommand, {
      TagFilters: [{ Key: 'lambdaflex:stack', Values: ['orders-api'] }],
      ResourcesPerPage: 100,
    });
  });

  it('is nothing once the inventory no longer lists it', async () => {
    tagging.on(GetResourcesCommand).resolves(taggingPage([]));
    expect(await stillListed(input())).toBeUndefined();
  });

  it('reuses the inventory the pass listed before its observation', async () => {
    expect(await stillListed(input({ inventory: [VPC_ARN] }))).toMatchObject({ listed: true });
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 0);
  });

  it('counts the pairs when the listing is refused (unknown is not absent)', async () => {
    tagging
      .on(GetResourcesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }));
    expect(await stillListed(input())).toMatchObject({ listed: false, missed: [{ key: 'vpc', id: VPC }] });
  });

  it.each<[string, Partial<StillListedInput> & { forgotten?: typeof PAIRS }]>([
    ['the stack forgot nothing', { forgotten: {} }],
    [
      'it forgot only an hour ago or more',
      { forgotten: { vpc: [{ id: VPC, nonce: 'n1', at: NOW - 3_600_000 }] } },
    ],
    [
      'the pass planned steps',
      { plan: { ...nothingPlanned, steps: [{ id: 'delete:vpc' } as Plan['steps'][0]] } },
    ],
    ['a step still waits', { result: applied({ settled: false }) }],
    ['the stack is between tiers', { trafficPhase: 'ScalingDown' }],
    [
      'a stack to delete still has something left',
      {
        deletionRequested: true,
        result: applied({ observation: { resources: {}, unknown: { vpc: 'throttled' } } }),
      },
    ],
  ])('asks nothing and holds nothing when %s', async (_why, overrides) => {
    tagging.on(GetResourcesCommand).resolves(taggingPage([VPC_ARN]));
    expect(await stillListed(input(overrides))).toBeUndefined();
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 0);
  });

  it('holds a stack to delete whose observation found nothing left', async () => {
    tagging.on(GetResourcesCommand).resolves(taggingPage([VPC_ARN]));
    expect(await stillListed(input({ deletionRequested: true, trafficPhase: 'Deleting' }))).toMatchObject({
      missed: [{ key: 'vpc', id: VPC }],
    });
  });
});

describe('passOutcome of a stack to delete while what it forgot is still listed', () => {
  it('is not deleted, nor its record: reconciled, not settled, coming back', () => {
    const outcome = passOutcome({
      stack: 'orders-api',
      deletionRequested: true,
      terminal: undefined,
      plan: nothingPlanned,
      result: applied(),
      kinds: ALL_RESOURCES,
      status: {
        observedGeneration: 2,
        phase: 'Deleting',
        resources: {},
        conditions: [],
        lastPass: { requeueAfterMs: 15_000 } as never,
      },
      settled: false,
      stillListed: true,
      calls: { total: 0, mutating: 0, byOperation: {} },
    });
    expect(outcome).toMatchObject({
      deleteRecord: false,
      result: { outcome: 'reconciled', phase: 'Deleting', settled: false, requeueAfterMs: 15_000 },
    });
  });
});
