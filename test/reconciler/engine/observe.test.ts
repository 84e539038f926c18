import { observe } from '../../../reconciler/engine/observe';
import type { ResourceKind } from '../../../reconciler/resources/types';
import { FakeCloud, fakeKind, noClients, testSpec } from './fake-kinds';

const base = { clients: noClients, spec: testSpec(), region: 'us-east-1', now: () => 0 };

describe('observe', () => {
  it("runs a finder after its dependency's, even when the dependency is listed later", async () => {
    const cloud = new FakeCloud();
    cloud.resources.set('vpc', { id: 'vpc-1', size: 1, ready: true });
    const vpc = fakeKind(cloud, 'vpc');
    const seenByFinder: (string | undefined)[] = [];
    const subnet: ResourceKind = {
      ...fakeKind(cloud, 'subnet', ['vpc']),
      async find(ctx) {
        seenByFinder.push(ctx.refs['vpc']?.id);
        return undefined;
      },
    };
    const observation = await observe(base, [subnet, vpc]);
    expect(seenByFinder).toEqual(['vpc-1']);
    expect(observation.resources.vpc?.id).toBe('vpc-1');
  });

  it('refuses a dependency no kind has instead of taking it as satisfied', async () => {
    const cloud = new FakeCloud();
    await expect(observe(base, [fakeKind(cloud, 'subnet', ['vpc'])])).rejects.toThrow(
      'resource kind subnet depends on vpc, which no resource kind is',
    );
    expect(cloud.calls).toEqual([]);
  });
});
