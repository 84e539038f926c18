/**
 * The proof both ledgers apply (reconciler/engine/ownership-proof.ts): the stacks' by id, bootstrap's by
 * the unique id AWS gave the resource. Each case is one way a resource carrying the owner's tags is or is
 * not the owner's; the ledgers' own tests (ownership.test.ts, bootstrap/proven.test.ts) show each uses it.
 */
import { proofOf } from '../../../reconciler/engine/ownership-proof';

const TAGS = { 'lambdaflex:stack': 'orders-api', 'lambdaflex:component': 'role' };
const role = (extra: { uniqueId?: string; nonce?: string; foreign?: true } = {}) => ({
  id: 'lf-orders-api-role',
  ...(extra.uniqueId ? { uniqueId: extra.uniqueId } : {}),
  tags: extra.nonce ? { ...TAGS, 'lambdaflex:nonce': extra.nonce } : TAGS,
  ...(extra.foreign ? { foreign: extra.foreign } : {}),
});
const nothing = { recorded: undefined, journaled: [] };

describe('proofOf', () => {
  it('tags alone prove nothing', () => {
    expect(proofOf(role({ uniqueId: 'AROA1' }), 'id', nothing)).toBeUndefined();
    expect(proofOf(role({ uniqueId: 'AROA1' }), 'uniqueId', nothing)).toBeUndefined();
  });

  it('the recorded identity proves it, compared as the caller identifies it', () => {
    expect(proofOf(role(), 'id', { recorded: 'lf-orders-api-role', journaled: [] })).toBe('recorded');
    expect(proofOf(role({ uniqueId: 'AROA1' }), 'uniqueId', { recorded: 'AROA1', journaled: [] })).toBe(
      'recorded',
    );
  });

  it('by unique id, one made again under the name (another unique id, or none) is not the one recorded', () => {
    expect(proofOf(role({ uniqueId: 'AROA2' }), 'uniqueId', { recorded: 'AROA1', journaled: [] })).toBe(
      undefined,
    );
    expect(proofOf(role(), 'uniqueId', { recorded: 'lf-orders-api-role', journaled: [] })).toBeUndefined();
  });

  it('by id, where the id is a name, another unique id than the one recorded beside it is a resource made again', () => {
    const records = { recorded: 'lf-orders-api-role', recordedUniqueId: 'AROA1', journaled: [] };
    expect(proofOf(role({ uniqueId: 'AROA1' }), 'id', records)).toBe('recorded');
    expect(proofOf(role({ uniqueId: 'AROA2' }), 'id', records)).toBeUndefined();
    // A finder that gives no unique id: the name is all there is to compare.
    expect(proofOf(role(), 'id', records)).toBe('recorded');
  });

  it('the nonce of a create journaled and not yet recorded proves it, when it alone carries it', () => {
    const records = { recorded: undefined, journaled: ['n1', 'n2'] };
    expect(proofOf(role({ nonce: 'n2' }), 'id', records)).toBe('journaled');
    expect(proofOf(role({ nonce: 'n2' }), 'id', records, 2)).toBeUndefined();
    expect(proofOf(role({ nonce: 'n3' }), 'id', records)).toBeUndefined();
  });

  it('without the identity it would record, a journaled nonce proves nothing', () => {
    expect(proofOf(role({ nonce: 'n1' }), 'uniqueId', { recorded: undefined, journaled: ['n1'] })).toBe(
      undefined,
    );
  });

  it('without the tags (a finder marks it foreign), neither the recorded identity nor a nonce proves it', () => {
    const records = { recorded: 'lf-orders-api-role', journaled: ['n1'] };
    expect(proofOf(role({ nonce: 'n1', foreign: true }), 'id', records)).toBeUndefined();
  });
});
