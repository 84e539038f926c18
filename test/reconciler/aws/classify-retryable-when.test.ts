import { classify } from '../../../reconciler/aws/classify';
import type { ErrorCodes } from '../../../reconciler/resources/types';

function awsError(code: string, message: string): Error {
  return Object.assign(new Error(message), {
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

const codes: ErrorCodes = {
  notFound: [],
  retryable: [],
  terminal: [],
  retryableWhen: [{ code: 'InvalidParameterException', message: /unable to assume/i }],
};

describe('classify with retryableWhen', () => {
  it('retries a code whose message matches the rule', () => {
    expect(classify(awsError('InvalidParameterException', 'Unable to assume role and validate'), codes)).toBe(
      'retryable',
    );
  });

  it('keeps the same code terminal when the message does not match', () => {
    expect(classify(awsError('InvalidParameterException', 'cpu must be a string'), codes)).toBe('terminal');
  });

  it('matches the bare code against the SDK exception name', () => {
    const bare: ErrorCodes = { ...codes, retryableWhen: [{ code: 'InvalidParameter', message: /assume/ }] };
    expect(classify(awsError('InvalidParameterException', 'cannot assume'), bare)).toBe('retryable');
  });

  it('changes nothing for kinds without rules', () => {
    expect(classify(awsError('InvalidParameterException', 'Unable to assume role'))).toBe('terminal');
  });
});
