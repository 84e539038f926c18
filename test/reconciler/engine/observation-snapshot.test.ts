import {
  inventoryKeys,
  nextSnapshot,
  usableSnapshot,
  type ObservationSnapshot,
  type SnapshotInput,
} from '../../../reconciler/engine/observation-snapshot';
import type { ObservedResource, ManagedResource } from '../../../reconciler/resources/types';
import { emptyBookkeeping, type Bookkeeping } from '../../../reconciler/state/bookkeeping';
import type { StackRecord } from '../../../reconciler/state/types';

const MAX_AGE = 15 * 60_000;
const NOW = 1_000_000;
const VPC_ARN = 'arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0abc';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/lf-orders-api-execution-role';

const snapshot = (overrides: Partial<ObservationSnapshot> = {}): ObservationSnapshot => ({
  at: NOW - 60_000,
  generation: 3,
  inventory: [VPC_ARN],
  resources: {},
  ...overrides,
});

function record(bookkeeping: Partial<Bookkeeping> = {}, overrides: Partial<StackRecord> = {}): StackRecord {
  return {
    stack: 'orders-api',
    spec: {},
    generation: 3,
    version: 9,
    events: [],
    status: { observedGeneration: 3, phase: 'Fargate', conditions: [], resources: {} },
    bookkeeping: { ...emptyBookkeeping(), observationSnapshot: snapshot(), ...bookkeeping },
    ...overrides,
  };
}

describe('usableSnapshot', () => {
  it('uses the snapshot of a settled stack whose spec has not changed', () => {
    expect(usableSnapshot(record(), NOW, MAX_AGE)).toEqual({ usable: true, snapshot: snapshot() });
  });

  it.each<[string, StackRecord, number, string]>([
    ['no status', { ...record(), status: undefined }, NOW, 'no snapshot of a settled stack'],
    ['no snapshot', record({ observationSnapshot: undefined }), NOW, 'no snapshot of a settled stack'],
    ['a spec edit', record({}, { generation: 4 }), NOW, 'the spec changed'],
    ['a delete', record({}, { deletionRequestedAt: NOW }), NOW, 'deletion requested'],
    ['15 minutes old', record(), NOW - 60_000 + MAX_AGE, 'periodic full observation'],
    ['a clock behind the snapshot', record(), NOW - 120_000, 'periodic full observation'],
    [
      'a pending Route 53 change',
      record({ pendingChanges: { 'dns-lambda': 'C1' } }),
      NOW,
      'the last pass left work',
    ],
    [
      'a retry due',
      record({ retries: { 'create:alb': { attempts: 1, retryAt: NOW, lastError: 'x' } } }),
      NOW,
      'the last pass left work',
    ],
    [
      'a terminal error',
      record({ terminal: { generation: 3, messages: ['x'] } }),
      NOW,
      'the last pass left work',
    ],
  ])('is not used after %s', (_case, given, now, why) => {
    expect(usableSnapshot(given, now, MAX_AGE)).toEqual({ usable: false, why });
  });
});

describe('inventoryKeys', () => {
  it('knows each ARN by itself and by its last segment (EC2 ids)', () => {
    expect([...inventoryKeys([VPC_ARN])]).toEqual([VPC_ARN, 'vpc-0abc']);
  });
});

describe('nextSnapshot', () => {
  const resource = (key: string, id: string, extra: Partial<ObservedResource> = {}): ObservedResource => ({
    key,
    type: 'AWS::Fake',
    id,
    tags: {},
    attributes: { a: 1, gone: undefined },
    ready: true,
    ...extra,
  });
  const kind = (key: string, steadyCheck: ManagedResource['steadyCheck']) =>
    ({ key, steadyCheck }) as ManagedResource;
  const kinds = [kind('vpc', 'tagged'), kind('execution-role', 'untagged'), kind('service', 'live')];
  const input = (overrides: Partial<SnapshotInput> = {}): SnapshotInput => ({
    observedBy: 'full',
    inventory: [VPC_ARN],
    observation: {
      resources: {
        vpc: resource('vpc', 'vpc-0abc'),
        'execution-role': resource('execution-role', 'lf-orders-api-execution-role', { arn: ROLE_ARN }),
        'traffic-weights': resource('traffic-weights', 'weights'),
      },
      unknown: {},
    },
    kinds,
    generation: 3,
    now: NOW,
    settled: true,
    ...overrides,
  });

  it('after a settled full pass: the kinds’ resources as plain JSON, with the inventory, time and generation', () => {
    expect(nextSnapshot(input({ inventory: ['z', VPC_ARN] }))).toEqual({
      at: NOW,
      generation: 3,
      inventory: [VPC_ARN, 'z'],
      resources: {
        vpc: { ...resource('vpc', 'vpc-0abc'), attributes: { a: 1 } },
        'execution-role': {
          ...resource('execution-role', 'lf-orders-api-execution-role', { arn: ROLE_ARN }),
          attributes: { a: 1 },
        },
      },
    });
  });

  it('keeps the previous snapshot after a settled pass that used it, and drops it after any other', () => {
    const previous = snapshot();
    expect(nextSnapshot(input({ observedBy: 'inventory', previous }))).toBe(previous);
    expect(nextSnapshot(input({ observedBy: 'inventory', previous, settled: false }))).toBeUndefined();
    expect(nextSnapshot(input({ settled: false }))).toBeUndefined();
  });

  it('takes none when the inventory could not be listed, a look-up failed, or a resource is foreign', () => {
    expect(nextSnapshot(input({ inventory: undefined }))).toBeUndefined();
    const failed = input();
    failed.observation.unknown = { service: 'Throttling' };
    expect(nextSnapshot(failed)).toBeUndefined();
    const foreign = input();
    foreign.observation.resources.vpc = resource('vpc', 'vpc-0abc', { foreign: true });
    expect(nextSnapshot(foreign)).toBeUndefined();
  });

  it('takes none while a tagged resource is not listed yet (the Tagging API lags a create)', () => {
    expect(nextSnapshot(input({ inventory: [] }))).toBeUndefined();
  });
});
