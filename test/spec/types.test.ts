/**
 * The spec types are derived from the schema (spec/types.ts, json-schema-to-ts): what the schema allows
 * is what the types allow. Checked by `tsc` (each `@ts-expect-error` fails the type check when the
 * error it expects is gone) and, for the same documents, by validateSpec at run time.
 */
import { validateSpec } from '../../spec';
import type { DesiredState, DesiredStateInput, FargateSize, Mode, Tier } from '../../spec/types';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeIs = <T extends true>(_proof: T) => undefined;

const image = 'orders-api:1';

describe('spec types derived from the schema', () => {
  it('take a user document with only stack and image', () => {
    const minimal: DesiredStateInput = { stack: 'orders-api', image };
    expect(validateSpec(minimal).ok).toBe(true);
  });

  it('refuse what the schema refuses: a missing image, an unknown field, a cpu Fargate lacks', () => {
    // @ts-expect-error image is required
    const noImage: DesiredStateInput = { stack: 'orders-api' };
    // @ts-expect-error additionalProperties: false
    const unknownField: DesiredStateInput = { stack: 'orders-api', image, colour: 'blue' };
    // @ts-expect-error cpu is one of the schema's enum values
    const oddCpu: DesiredStateInput = { stack: 'orders-api', image, fargate: { cpu: 300 } };
    for (const doc of [noImage, unknownField, oddCpu]) expect(validateSpec(doc).ok).toBe(false);
  });

  it('read defaulted fields as present after validation, and the enums as unions', () => {
    typeIs<Equal<Mode, 'auto' | 'lambda' | 'fargate'>>(true);
    typeIs<Equal<Tier, 'lambda' | 'fargate'>>(true);
    typeIs<Equal<FargateSize['cpu'], 256 | 512 | 1024 | 2048 | 4096 | 8192 | 16384>>(true);
    typeIs<Equal<DesiredState['port'], number>>(true);
    typeIs<Equal<DesiredState['environment'], { [name: string]: string }>>(true);
    typeIs<Equal<DesiredState['thresholds']['scaleUp']['requestsPerSecond'], number | undefined>>(true);
    const result = validateSpec({ stack: 'orders-api', image });
    if (!result.ok) throw new Error('invalid');
    const port: number = result.spec.port;
    expect(port).toBe(8080);
  });
});
