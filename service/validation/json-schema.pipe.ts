import { Injectable, type PipeTransform } from '@nestjs/common';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { SpecError } from '../../spec/types';
import { validationFailed } from './validation-error';

// One Ajv for the service's own small DTO schemas; `allErrors` so a client sees every problem at once.
const ajv = new Ajv({ allErrors: true, strict: true });

/** `/name` → `name`, `/tags/0` → `tags.0`; a missing property is reported at its own path, not its parent's. */
function toSpecError(error: ErrorObject): SpecError {
  const segments = error.instancePath.split('/').filter((s) => s !== '');
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  return { path: segments.join('.'), message: error.message ?? error.keyword };
}

/**
 * Validates a body against a JSON Schema. The same schema object is given to Swagger (`@ApiBody`), so the
 * documented contract and the enforced one cannot drift apart.
 */
@Injectable()
export class JsonSchemaPipe<T> implements PipeTransform<unknown, T> {
  private readonly validate: ValidateFunction<T>;

  constructor(schema: object) {
    this.validate = ajv.compile<T>(schema);
  }

  transform(value: unknown): T {
    if (this.validate(value)) return value;
    throw validationFailed((this.validate.errors ?? []).map(toSpecError));
  }
}
