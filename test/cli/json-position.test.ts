/**
 * jsonErrorOffset against V8's JSON.parse on JSON texts broken at random: where V8 names a position the
 * scan names the same one, where V8 names none the scan still finds one, and valid JSON has none.
 */
import fc from 'fast-check';
import { jsonErrorOffset } from '../../cli/json-position';

/** V8's verdict: undefined for valid JSON, the position it names, or 'unnamed'. */
function v8Position(text: string): number | 'unnamed' | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    return position === undefined ? 'unnamed' : Number(position);
  }
}

describe('jsonErrorOffset', () => {
  it('names the offset V8 names, and one where V8 names none', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), fc.nat(2), (json, at, insert, cut) => {
        const p = at % (json.length + 1);
        const text = json.slice(0, p) + insert + json.slice(p + cut);
        const v8 = v8Position(text);
        const offset = jsonErrorOffset(text);
        if (v8 === 'unnamed') expect(offset).toEqual(expect.any(Number));
        else expect(offset).toBe(v8);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['{"mode": }', 9],
    ['{"image": tru}', 13],
    ['{"a": 1', 7],
    ['', 0],
  ])('places %j at %d', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('gives up, without overflowing the stack, on nesting deeper than a spec has', () => {
    expect(jsonErrorOffset('['.repeat(100_000))).toBeUndefined();
  });
});
