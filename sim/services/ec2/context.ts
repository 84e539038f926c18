/** Types and helpers shared by the EC2 operations. */
import type { Operation, OperationContext } from '../../core/service';
import type { Ec2State } from './state';

export type Ec2Context = OperationContext<Ec2State>;

/**
 * Declares an operation with the SDK's request and result types, so that the compiler checks the
 * simulated answers against the shapes the real client would deserialize.
 */
export function ec2Operation<Input, Output extends object>(definition: {
  mutating: boolean;
  bucket?: string;
  required?: (keyof Input & string)[];
  handle(input: Input, ctx: Ec2Context): Output;
}): Operation<Ec2State> {
  return {
    mutating: definition.mutating,
    bucket: definition.bucket,
    required: definition.required,
    handle: (input, ctx: Ec2Context) =>
      withoutUndefined(definition.handle(input as Input, ctx)) as Record<string, unknown>,
  };
}

/**
 * Drops members whose value is undefined, in place, as AWS's answers simply omit them: code that
 * compares an answer deeply with an expected object must not see `Description: undefined`.
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) withoutUndefined(item);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (record[key] === undefined) delete record[key];
      else withoutUndefined(record[key]);
    }
  }
  return value;
}
