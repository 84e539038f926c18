import { ALL_RESOURCES } from '../../../reconciler/resources';
import { RESOURCE_KEYS, type ResourceKey } from '../../../reconciler/resources/keys';
import type { StackResource } from '../../../reconciler/resources/types';
import { vpcResource } from '../../../reconciler/resources/ec2/vpc';

const registered: ReadonlySet<string> = new Set(Object.values(RESOURCE_KEYS));

describe('the registry of kind keys', () => {
  it('registers each key once', () => {
    const values = Object.values(RESOURCE_KEYS);
    expect(new Set(values).size).toBe(values.length);
  });

  it("holds every stack kind's key, and nothing that is not a kind's key", () => {
    expect(ALL_RESOURCES.map((kind) => kind.key).sort()).toEqual([...registered].sort());
  });

  it('names only registered keys in every dependsOn', () => {
    const unregistered = ALL_RESOURCES.flatMap((kind) =>
      kind.dependsOn.filter((dep) => !registered.has(dep)).map((dep) => `${kind.key} -> ${dep}`),
    );
    expect(unregistered).toEqual([]);
  });

  it('makes a misspelled key a type error (checked by tsc, which reads this file)', () => {
    // @ts-expect-error 'vcp' is no kind's key
    const misspelledDependency: StackResource = { ...vpcResource, dependsOn: ['vcp'] };
    // @ts-expect-error 'subnet-c' is no kind's key
    const misspelledKey: ResourceKey = 'subnet-c';
    expect(misspelledDependency.dependsOn).toEqual(['vcp']);
    expect(registered.has(misspelledKey)).toBe(false);
  });
});
