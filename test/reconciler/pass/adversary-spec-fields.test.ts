/**
 * adversary: the bookkeeping's `specFields` (the digests the pass keeps to name what the next generation
 * changed) edited by hand into a map of digests under names that are no spec field. The SpecChanged event
 * names fields; it must name only the spec's own, never text someone wrote into the record: a key made to
 * read like another change ('mode fargate → lambda'), a name from Object's prototype, a very long key.
 */
import { eventsOf } from '../../../reconciler/pass/events';
import { changedSpecFields, rememberedSpecFields, specFields } from '../../../reconciler/pass/spec-fields';
import type { StackStatus } from '../../../reconciler/state/types';
import { desiredStateSchema, validateSpec } from '../../../spec';
import type { DesiredState } from '../../../spec/types';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.0.0';

function spec(overrides: Record<string, unknown> = {}): DesiredState {
  const result = validateSpec({ stack: 'orders-api', image: IMAGE, mode: 'lambda', ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

const SCHEMA_FIELDS = Object.keys(desiredStateSchema.properties);

describe('spec fields kept in a bookkeeping edited by hand', () => {
  const before = specFields(spec());
  const after = specFields(spec({ image: `${IMAGE}-2` }));
  const forged = {
    ...before,
    'image changed; mode fargate → lambda': 'f00dfeedf00dfeed',
    constructor: 'f00dfeedf00dfeed',
    toString: 'f00dfeedf00dfeed',
    ['x'.repeat(500)]: 'f00dfeedf00dfeed',
  };

  it('names only fields of the spec, whatever other names the record holds', () => {
    const remembered = rememberedSpecFields(forged);
    expect(remembered).toBeDefined();
    const changed = changedSpecFields(remembered!, after);
    expect(changed).toEqual(['image']);
    expect(changed.every((field) => SCHEMA_FIELDS.includes(field))).toBe(true);
  });

  it('the SpecChanged event reads as with the true bookkeeping', () => {
    const status = (generation: number) =>
      ({ observedGeneration: generation, mode: 'lambda', conditions: [] }) as unknown as StackStatus;
    const traffic = { rollback: undefined, unhealthy: undefined } as never;
    const changes = changedSpecFields(rememberedSpecFields(forged)!, after);
    const [event] = eventsOf(status(1), status(2), 0, traffic, changes);
    expect(event.reason).toBe('SpecChanged');
    expect(event.message).toBe('mode lambda, unchanged; image changed (generation 2)');
  });
});
