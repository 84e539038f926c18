import { runInNewContext } from 'node:vm';
import { copyPlain, withoutUndefined } from '../../util/copy';

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

  it('copies plain data made in another realm (a vm context, structuredClone) as plain data of its own', () => {
    const foreign = runInNewContext('({ a: [{ b: 1 }], c: Object.create(null) })') as {
      a: { b: number }[];
      c: object;
    };
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    const copy = copyPlain(foreign);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(copy.a[0])).toBe(Object.prototype);
    expect(copy).toEqual({ a: [{ b: 1 }], c: {} });
    expect(copy.a[0]).not.toBe(foreign.a[0]);
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

describe('withoutUndefined', () => {
  it('leaves out undefined members at any depth, rebuilding only the objects that held one', () => {
    const clean = { a: 1, b: { c: [1, 2] } };
    const answer = {
      kept: clean,
      gone: undefined,
      list: [{ x: 1, y: undefined }, clean],
      nested: { d: { e: undefined, f: 'f' } },
    };
    const result = withoutUndefined(answer);
    expect(result).toStrictEqual({ kept: clean, list: [{ x: 1 }, clean], nested: { d: { f: 'f' } } });
    expect(result.kept).toBe(clean);
    expect(result.list[1]).toBe(clean);
    expect(answer.list[0]).toHaveProperty('y');
    expect(withoutUndefined(clean)).toBe(clean);
  });
});
