import { Injectable, type PipeTransform } from '@nestjs/common';
import type { DesiredState } from '../../spec/types';
import { validationFailed } from '../validation/validation-error';

/**
 * Validates a PUT /desired-state body with `validateSpec`, the same function the store and the reconciler
 * use, so the HTTP API can never accept a document the reconciler would refuse (or the reverse).
 */
@Injectable()
export class SpecValidationPipe implements PipeTransform<unknown, Promise<DesiredState>> {
  async transform(value: unknown): Promise<DesiredState> {
    // Loaded on the first PUT rather than at start: it brings Ajv and the whole contract, which a Lambda
    // cold start answering anything else does not need.
    const { validateSpec } = await import('../../spec/validate');
    const result = validateSpec(value);
    if (!result.ok) throw validationFailed(result.errors, 'the desired state is invalid');
    return result.spec;
  }
}
