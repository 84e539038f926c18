import { Injectable, type PipeTransform } from '@nestjs/common';
import type { default as Ajv, ValidateFunction } from 'ajv';
import { translateAjvErrors } from '../../spec/schema-errors';
import { validationFailed } from './validation-error';

// One Ajv for the service's own small DTO schemas; `allErrors` so a client sees every problem at once, and
// `verbose` for translateAjvErrors, which words each error as the spec's are worded (the allowed values of
// an enum, the known fields beside an unknown one).
// Loaded and built with the first validation: loading Ajv and compiling a schema costs tens of
// milliseconds, which a Lambda cold start answering GET /health should not pay for routes it does not call.
let ajv: Promise<Ajv> | undefined;

/**
 * Validates a body against a JSON Schema. The same schema object is given to Swagger (`@ApiBody`), so the
 * documented contract and the enforced one cannot drift apart.
 */
@Injectable()
export class JsonSchemaPipe<T> implements PipeTransform<unknown, Promise<T>> {
  private compiled: ValidateFunction<T> | undefined;

  constructor(private readonly schema: object) {}

  async transform(value: unknown): Promise<T> {
    ajv ??= import('ajv').then(({ default: Ajv }) => {
      const instance = new Ajv({ allErrors: true, strict: true, verbose: true });
      // As spec/'s: the words a pattern's error is given (translateAjvErrors), the regex helping nobody.
      instance.addKeyword({ keyword: 'x-patternDescription', schemaType: 'string' });
      return instance;
    });
    const validate = (this.compiled ??= (await ajv).compile<T>(this.schema));
    if (validate(value)) return value;
    throw validationFailed(translateAjvErrors(validate.errors ?? []));
  }
}
