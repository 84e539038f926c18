import { Inject, Injectable, type PipeTransform } from '@nestjs/common';
import type { DesiredState } from '../../spec/types';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../config/tokens';
import { validationFailed } from '../validation/validation-error';

/**
 * Validates a PUT /desired-state body with `validateSpec`, the same function the store and the reconciler
 * use, so the HTTP API can never accept a document the reconciler would refuse (or the reverse). Beyond
 * it, as `lambdaflex apply` does, the image must be one Lambda runs in the service's own region (the
 * stack's): otherwise the reconciler would build the stack's role and API before CreateFunction refused it.
 */
@Injectable()
export class SpecValidationPipe implements PipeTransform<unknown, Promise<DesiredState>> {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  async transform(value: unknown): Promise<DesiredState> {
    // Loaded on the first PUT rather than at start: it brings Ajv and the whole contract, which a Lambda
    // cold start answering anything else does not need.
    const [{ validateSpec }, { lambdaImageErrors }] = await Promise.all([
      import('../../spec/validate'),
      import('../../spec/lambda-image'),
    ]);
    const result = validateSpec(value);
    const schemaErrors = result.ok ? [] : result.errors;
    // One answer names every problem, the image's beside the schema's.
    const errors = [...schemaErrors, ...lambdaImageErrors(value, schemaErrors, this.config.region)];
    if (!result.ok || errors.length > 0) throw validationFailed(errors, 'the desired state is invalid');
    return result.spec;
  }
}
