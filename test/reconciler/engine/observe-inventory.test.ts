import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import 'aws-sdk-client-mock-jest';
import { inventoryChange, observeFromSnapshot } from '../../../reconciler/engine/observe-inventory';
import type { ObservationSnapshot } from '../../../reconciler/engine/observation-snapshot';
import type { ObservedResource, ManagedResource } from '../../../reconciler/resources/types';
import type { ExtraOf } from '../../../reconciler/resources/keys';
import { testContext } from '../resources/fixtures';
import { mockTagging, taggingPage as page, TG_ARN, VPC_ARN } from '../aws/tagging-fixtures';

const tagging = mockTagging();

function resource<K extends string>(
  key: K,
  id: string,
  extra: Partial<ObservedResource<ExtraOf<K>>> = {},
): ObservedResource<ExtraOf<K>> {
  return { key, type: 'AWS::Fake', id, tags: {}, attributes: {}, ready: true, ...extra };
}

/** A kind whose finder records that it ran and what it saw of its dependency. */
function kind(
  key: string,
  steadyCheck: ManagedResource['steadyCheck'],
  seen: string[] = [],
): ManagedResource {
  return {
    key,
    type: 'AWS::Fake',
    service: 'ec2',
    tier: 'fargate',
    dependsOn: key === 'service' ? ['tg'] : [],
    errors: { notFound: [], retryable: [], terminal: [] },
    steadyCheck,
    neededBy: () => true,
    desiredAttributes: () => ({}),
    find: async (ctx) => {
      seen.push(`${key} saw tg ${ctx.refs.tg?.id ?? 'none'}`);
      return resource(key, `${key}-live`);
    },
    create: async () => resource(key, 'new'),
    delete: async () => undefined,
  };
}

const snapshot = (inventory: string[]): ObservationSnapshot => ({
  at: 0,
  generation: 1,
  inventory,
  resources: {
    vpc: resource('vpc', 'vpc-0abc'),
    tg: resource('tg', TG_ARN, { arn: TG_ARN }),
    service: resource('service', 'service-cached'),
  },
});

describe('inventoryChange', () => {
  it('is undefined for the same ARNs and names what came and went otherwise', () => {
    expect(inventoryChange(['a', 'b'], ['a', 'b'])).toBeUndefined();
    expect(inventoryChange(['a', 'b'], ['b', 'c'])).toBe('+c, −a');
    expect(inventoryChange([], ['1', '2', '3', '4', '5'])).toBe('+1, +2, +3 and 2 more');
  });
});

describe('observeFromSnapshot', () => {
  const kinds = (seen: string[]) => [
    kind('vpc', 'tagged', seen),
    kind('tg', 'tagged', seen),
    kind('service', 'live', seen),
  ];

  it('with the same inventory, takes cached resources from the snapshot and finds only the live ones', async () => {
    tagging.on(GetResourcesCommand).resolves(page([VPC_ARN, TG_ARN]));
    const seen: string[] = [];
    const result = await observeFromSnapshot(testContext(), kinds(seen), snapshot([TG_ARN, VPC_ARN].sort()));
    expect(seen).toEqual([`service saw tg ${TG_ARN}`]);
    expect(result).toEqual({
      observation: {
        resources: {
          vpc: resource('vpc', 'vpc-0abc'),
          tg: resource('tg', TG_ARN, { arn: TG_ARN }),
          service: resource('service', 'service-live'),
        },
        unknown: {},
      },
      inventory: [TG_ARN, VPC_ARN].sort(),
    });
  });

  it('does not look for a live resource whose tagged dependency is in neither the snapshot nor the inventory', async () => {
    tagging.on(GetResourcesCommand).resolves(page([VPC_ARN]));
    const seen: string[] = [];
    const withoutTg: ObservationSnapshot = {
      ...snapshot([VPC_ARN]),
      resources: { vpc: resource('vpc', 'vpc-0abc') },
    };
    const result = await observeFromSnapshot(testContext(), kinds(seen), withoutTg);
    expect(seen).toEqual([]);
    expect(result).toEqual({
      observation: {
        resources: { vpc: resource('vpc', 'vpc-0abc'), tg: undefined, service: undefined },
        unknown: {},
      },
      inventory: [VPC_ARN],
    });
  });

  it('is stale, naming the difference, when an ARN came or went, and finds nothing', async () => {
    tagging.on(GetResourcesCommand).resolves(page([TG_ARN]));
    const seen: string[] = [];
    const result = await observeFromSnapshot(testContext(), kinds(seen), snapshot([TG_ARN, VPC_ARN].sort()));
    expect(result).toEqual({
      stale: `the stack's tagged resources changed: −${VPC_ARN}`,
      inventory: [TG_ARN],
    });
    expect(seen).toEqual([]);
  });

  it('is stale when the listing fails (throttled), rather than trusting the snapshot', async () => {
    tagging
      .on(GetResourcesCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException', $fault: 'client' }));
    const result = await observeFromSnapshot(testContext(), kinds([]), snapshot([VPC_ARN]));
    expect(result).toEqual({
      stale: "listing the stack's tagged resources failed: ThrottledException: Rate exceeded",
    });
  });

  it('throws what is not an AWS answer (a bug, a dying process) instead of reading it as stale', async () => {
    tagging.on(GetResourcesCommand).rejects(new TypeError('boom'));
    await expect(observeFromSnapshot(testContext(), kinds([]), snapshot([VPC_ARN]))).rejects.toThrow('boom');
  });
});
