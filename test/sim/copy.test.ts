import { copyPlain } from '../../sim/core/copy';

describe('copyPlain', () => {
  it('copies plain objects, arrays and Dates deeply, keeping undefined members', () => {
    const original = { a: [{ b: 1, c: undefined }], d: new Date(5), e: 'text', f: null };
    const copy = copyPlain(original);
    expect(copy).toStrictEqual(original);
    expect(copy.a).not.toBe(original.a);
    expect(copy.a[0]).not.toBe(original.a[0]);
    expect(copy.d).not.toBe(original.d);
    expect('c' in copy.a[0]!).toBe(true);
  });

  it('hands other objects to structuredClone, so nothing is ever shared', () => {
    const original = { map: new Map([['k', { v: 1 }]]), bytes: new Uint8Array([1, 2]) };
    const copy = copyPlain(original);
    expect(copy.map).not.toBe(original.map);
    expect(copy.map.get('k')).toEqual({ v: 1 });
    expect(copy.map.get('k')).not.toBe(original.map.get('k'));
    expect(copy.bytes).toEqual(new Uint8Array([1, 2]));
    expect(copy.bytes).not.toBe(original.bytes);
  });
});
