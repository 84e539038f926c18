import { changedSpecFields, rememberedSpecFields, specFields } from '../../../reconciler/pass/spec-fields';
import { validateSpec } from '../../../spec';
import type { DesiredState } from '../../../spec/types';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.0.0';

function spec(overrides: Record<string, unknown> = {}): DesiredState {
  const result = validateSpec({ stack: 'orders-api', image: IMAGE, ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

describe('the spec fields a pass remembers', () => {
  it('names the top-level fields that changed, in the schema’s order, values never kept', () => {
    const before = specFields(spec({ environment: { DB_PASSWORD: 'hunter2' } }));
    expect(JSON.stringify(before)).not.toContain('hunter2');
    const after = specFields(
      spec({ image: `${IMAGE}-2`, environment: { DB_PASSWORD: 'hunter3' }, mode: 'fargate' }),
    );
    expect(changedSpecFields(before, after)).toEqual(['image', 'mode', 'environment']);
    expect(changedSpecFields(before, before)).toEqual([]);
  });

  it('reads a field added or removed as changed, and a spec read back with its keys in another order as the same', () => {
    const plain = spec();
    const withApi = spec({ api: { tokenSha256: 'a'.repeat(64) } });
    expect(changedSpecFields(specFields(plain), specFields(withApi))).toEqual(['api']);
    expect(changedSpecFields(specFields(withApi), specFields(plain))).toEqual(['api']);
    // DynamoDB keeps no order of a map's keys.
    const reordered = Object.fromEntries(Object.entries(plain).reverse()) as unknown as DesiredState;
    const fargate = Object.fromEntries(Object.entries(plain.fargate).reverse());
    expect(
      changedSpecFields(specFields(plain), specFields({ ...reordered, fargate } as DesiredState)),
    ).toEqual([]);
  });

  it('takes back only a map of digests from the record (a hand edit may leave anything there)', () => {
    const fields = specFields(spec());
    expect(rememberedSpecFields(fields)).toEqual(fields);
    for (const edited of [undefined, null, 'abc', 5, ['x'], { image: 3 }])
      expect(rememberedSpecFields(edited)).toBeUndefined();
  });
});
