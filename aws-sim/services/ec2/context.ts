/** Types and helpers shared by the EC2 operations. */
import { withoutUndefined } from '../../../util/copy';
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
    // AWS's answers simply omit members without a value: code that compares an answer deeply with an
    // expected object must not see `Description: undefined`.
    handle: (input, ctx: Ec2Context) =>
      withoutUndefined(definition.handle(input as Input, ctx)) as Record<string, unknown>,
  };
}
