import { BadRequestException } from '@nestjs/common';
import type { SpecError } from '../../spec/types';

/**
 * Every 400 about a body has this shape, whichever rules produced it: `errors[].path` is the dotted path of
 * the offending field (empty for the document itself) and `message` names the rule it broke.
 */
export interface ValidationFailureBody {
  statusCode: 400;
  error: 'Bad Request';
  message: string;
  errors: SpecError[];
}

export function validationFailed(
  errors: SpecError[],
  message = 'the request body is invalid',
): BadRequestException {
  const body: ValidationFailureBody = { statusCode: 400, error: 'Bad Request', message, errors };
  return new BadRequestException(body);
}
