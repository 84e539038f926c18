import { Injectable, type PipeTransform } from '@nestjs/common';
import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { SpecError } from '../../spec/types';
import { validationFailed } from './validation-error';

// One Ajv for the service's own small DTO schemas; `allErrors` so a client sees every problem at once.
// Loaded and built with the first validation: loading Ajv and compiling a schema costs tens of
// milliseconds, which a Lambda cold start answering GET /health should not pay for routes it does not call.
let ajv: Promise<Ajv> | undefined;

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
export class JsonSchemaPipe<T> implements PipeTransform<unknown, Promise<T>> {
  private compiled: ValidateFunction<T> | undefined;

  constructor(private readonly schema: object) {}

  async transform(value: unknown): Promise<T> {
    ajv ??= import('ajv').then(({ default: Ajv }) => new Ajv({ allErrors: true, strict: true }));
    const validate = (this.compiled ??= (await ajv).compile<T>(this.schema));
    if (validate(value)) return value;
    throw validationFailed((validate.errors ?? []).map(toSpecError));
  }
}
