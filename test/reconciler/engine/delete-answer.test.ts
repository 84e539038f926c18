/**
 * A delete that answers what it left (resources/types.ts `DeleteAnswer`: a Route 53 change PENDING, whose id
 * only the answer gives) is taken at its word: kept as the resource still being removed, not looked up
 * again; answering nothing left, the step is done.
 */
import { applyPlan } from '../../../reconciler/engine/apply';
import { observe } from '../../../reconciler/engine/observe';
import { plan } from '../../../reconciler/engine/plan';
import type { ManagedResource, ObservedResource } from '../../../reconciler/resources/types';
import { FakeCloud, fakeResource, noClients, testSpec } from './fake-kinds';

const spec = testSpec();

function kindAnswering(cloud: FakeCloud, left: () => ObservedResource | undefined): ManagedResource {
  const kind = fakeResource(cloud, 'records', [], { tier: 'lambda' });
  return {
    ...kind,
    neededBy: () => false,
    async delete() {
      cloud.take('records', 'delete');
      cloud.resources.delete('records');
      return { left: left() };
    },
  };
}

async function deleteWith(left: () => ObservedResource | undefined) {
  const cloud = new FakeCloud();
  cloud.resources.set('records', { id: 'r-1', size: 1, ready: true });
  const kinds = [kindAnswering(cloud, left)];
  const base = { clients: noClients, spec, region: 'us-east-1', now: () => 1_000 };
  const observation = await observe(base, kinds);
  const p = plan(spec, 'lambda', observation, 1_000, kinds);
  const result = await applyPlan(p, observation, { ...base, kinds, retries: {}, random: () => 0.5 });
  return { cloud, result };
}

describe('a delete that answers what it left', () => {
  it('is kept as still being removed, with what only its answer knows, and not looked up again', async () => {
    const pending: ObservedResource = {
      key: 'records',
      type: 'Fake::records',
      id: 'r-1',
      tags: {},
      attributes: {},
      state: 'PENDING',
      ready: false,
      extra: { changeIds: ['/change/C1'] },
    };
    const { cloud, result } = await deleteWith(() => pending);
    expect(cloud.calls).toEqual(['find:records', 'delete:records']);
    expect(result.outcomes['delete:records']).toEqual({
      status: 'waiting',
      reason: 'records is still being deleted (PENDING)',
    });
    expect(result.observation.resources.records).toEqual(pending);
  });

  it('answering nothing left, is done', async () => {
    const { result } = await deleteWith(() => undefined);
    expect(result.outcomes['delete:records']).toEqual({ status: 'done' });
    expect(result.observation.resources.records).toBeUndefined();
  });
});
