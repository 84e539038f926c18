import { observe } from '../../../reconciler/engine/observe';
import type { ManagedResource } from '../../../reconciler/resources/types';
import { FakeCloud, fakeResource, noClients, testSpec } from './fake-kinds';

const base = { clients: noClients, spec: testSpec(), region: 'us-east-1', now: () => 0 };

describe('observe', () => {
  it("runs a finder after its dependency's, even when the dependency is listed later", async () => {
    const cloud = new FakeCloud();
    cloud.resources.set('vpc', { id: 'vpc-1', size: 1, ready: true });
    const vpc = fakeResource(cloud, 'vpc');
    const seenByFinder: (string | undefined)[] = [];
    const subnet: ManagedResource = {
      ...fakeResource(cloud, 'subnet', ['vpc']),
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
    await expect(observe(base, [fakeResource(cloud, 'subnet', ['vpc'])])).rejects.toThrow(
      'resource kind subnet depends on vpc, which no resource kind is',
    );
    expect(cloud.calls).toEqual([]);
  });

  it('runs at most `concurrency` finders at once, the whole layer through one limit', async () => {
    const cloud = new FakeCloud();
    let running = 0;
    let most = 0;
    let releaseA!: () => void;
    const aMayEnd = new Promise<void>((resolve) => (releaseA = resolve));
    const layer: ManagedResource[] = ['a', 'b', 'c', 'd', 'e'].map((key) => ({
      ...fakeResource(cloud, key),
      async find() {
        running += 1;
        most = Math.max(most, running);
        // 'a' ends only once 'e' has: in chunks of two, 'a' would hold 'e' back for good.
        if (key === 'a') await aMayEnd;
        else await new Promise((r) => setImmediate(r));
        if (key === 'e') releaseA();
        running -= 1;
        return undefined;
      },
    }));
    await observe(base, layer, { concurrency: 2 });
    expect(most).toBe(2);
  });

  it('on a fatal error starts no other finder, and throws once the running ones have ended', async () => {
    const cloud = new FakeCloud();
    const events: string[] = [];
    const kind = (key: string, find: () => Promise<undefined>): ManagedResource => ({
      ...fakeResource(cloud, key),
      find,
    });
    const layer = [
      kind('bug', async () => {
        throw new TypeError('x is undefined');
      }),
      kind('slow', async () => {
        await new Promise((r) => setTimeout(r, 20));
        events.push('slow ended');
        return undefined;
      }),
      kind('queued', async () => {
        events.push('queued started');
        return undefined;
      }),
    ];
    await expect(
      observe(base, layer, { concurrency: 2 }).finally(() => events.push('observe ended')),
    ).rejects.toThrow('x is undefined');
    expect(events).toEqual(['slow ended', 'observe ended']);
  });
});
