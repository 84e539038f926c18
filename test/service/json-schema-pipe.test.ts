/**
 * The service's own small bodies (the sample items, the sandbox's controls) are refused in the same words
 * as a spec: each error names the field and the rule in plain words ("must be one of auto, lambda,
 * fargate"), not in ajv's ("must be equal to one of the allowed values", which names no value).
 */
import { BadRequestException } from '@nestjs/common';
import { modeBodySchema, trafficBodySchema } from '../../sandbox/dashboard/dashboard.schemas';
import { itemInputSchema } from '../../service/items/item.schema';
import { JsonSchemaPipe } from '../../service/validation/json-schema.pipe';

async function errorsOf(schema: object, body: unknown): Promise<unknown> {
  const refusal = await new JsonSchemaPipe(schema).transform(body).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(BadRequestException);
  return ((refusal as BadRequestException).getResponse() as { errors: unknown }).errors;
}

describe('JsonSchemaPipe', () => {
  it('names the allowed values of an enum, and the bounds of a number', async () => {
    expect(await errorsOf(modeBodySchema, { mode: 'turbo', generation: 0 })).toEqual([
      { path: 'mode', message: 'must be one of auto, lambda, fargate' },
      { path: 'generation', message: 'must be at least 1' },
    ]);
    expect(await errorsOf(trafficBodySchema, { rps: 20_000 })).toEqual([
      { path: 'rps', message: 'must be at most 10000' },
    ]);
  });

  it('names a missing field, an unknown one with the known ones, a type and a length', async () => {
    expect(await errorsOf(itemInputSchema, { name: '', price: '1', colour: 'red', tags: 'x' })).toEqual([
      { path: 'colour', message: "unknown field 'colour' (known fields: name, price, tags)" },
      { path: 'name', message: 'must be at least 1 character long' },
      { path: 'price', message: 'must be a number' },
      { path: 'tags', message: 'must be an array' },
    ]);
    expect(await errorsOf(trafficBodySchema, {})).toEqual([{ path: 'rps', message: 'is required' }]);
    expect(await errorsOf(trafficBodySchema, [])).toEqual([{ path: '', message: 'must be an object' }]);
  });

  it('passes a valid body through unchanged', async () => {
    const body = { mode: 'lambda', generation: 3 };
    await expect(new JsonSchemaPipe(modeBodySchema).transform(body)).resolves.toBe(body);
  });
});
