import { duplicateKeys } from '../../spec/duplicate-keys';

const paths = (text: string) => duplicateKeys(text).map((d) => d.path);

describe('duplicateKeys', () => {
  it('finds a key repeated in the same object, with its dotted path and the offset of the repeat', () => {
    const text = '{"environment":{"DB_URL":"a","DB_URL":"b"}}';
    expect(duplicateKeys(text)).toEqual([
      {
        path: 'environment.DB_URL',
        message: expect.stringMatching(/appears more than once .*JSON would keep only the last one/),
        offset: text.lastIndexOf('"DB_URL"'),
      },
    ]);
  });

  it('finds them at the top, in arrays of objects, and reports each repeated key once', () => {
    expect(paths('{"mode":"auto","x":[{"a":1,"a":2,"a":3}],"mode":"lambda"}')).toEqual(['x.0.a', 'mode']);
    expect(paths('[{"a":1},{"b":1,"b":2}]')).toEqual(['1.b']);
  });

  it('accepts the same key in different objects, and keys that only look alike', () => {
    expect(paths('{"a":{"k":1},"b":{"k":1},"c":{"K":1,"k":2},"d":{"\\u006b":1,"j":2}}')).toEqual([]);
  });

  it('compares keys decoded: an escaped key equal to a plain one is a duplicate', () => {
    expect(paths('{"k":1,"\\u006b":2}')).toEqual(['k']);
  });

  it('is not misled by quotes, braces and commas inside strings', () => {
    expect(paths('{"a":"x\\",\\"a\\":{","b":"}]","a2":[",",{"c":"\\\\"}],"b":0}')).toEqual(['b']);
  });
});
