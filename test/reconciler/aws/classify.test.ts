import { classify, refusedOnFirstAttempt } from '../../../reconciler/aws/classify';

const aws = (name: string, fault: 'client' | 'server', status: number) =>
  Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode: status } });
const network = (code: string) => Object.assign(new Error(code), { code });

describe('classify', () => {
  it.each([
    ['throttling', aws('ThrottlingException', 'client', 400), 'retryable'],
    ['an unlisted 5xx', aws('SomethingBroke', 'server', 503), 'retryable'],
    ['a lingering dependency', aws('DependencyViolation', 'client', 400), 'retryable'],
    ['validation', aws('ValidationError', 'client', 400), 'terminal'],
    ['an unlisted 4xx', aws('SomethingWrong', 'client', 400), 'terminal'],
    ['EC2 not found', aws('InvalidVpcID.NotFound', 'client', 400), 'notFound'],
    ['a refused connection', network('ECONNREFUSED'), 'retryable'],
    ['a reset connection', network('ECONNRESET'), 'retryable'],
    ['a bug', new TypeError('x is undefined'), 'fatal'],
  ])('%s is %s', (_what, error, verdict) => {
    expect(classify(error)).toBe(verdict);
  });

  it('lets a kind make a code terminal that every kind otherwise retries', () => {
    const codes = { notFound: [], retryable: [], terminal: ['ResourceConflictException'] };
    expect(classify(aws('ResourceConflictException', 'client', 409), codes)).toBe('terminal');
  });
});

describe('refusedOnFirstAttempt', () => {
  const retried = <E extends Error>(error: E, attempts: number) =>
    Object.assign(error, { $metadata: { ...(error as { $metadata?: object }).$metadata, attempts } });

  it('is a 4xx heard on the first attempt: the call did nothing', () => {
    expect(refusedOnFirstAttempt(aws('DependencyViolation', 'client', 400))).toBe(true);
    expect(refusedOnFirstAttempt(retried(aws('ResourceInUse', 'client', 409), 1))).toBe(true);
  });

  it('is not a 4xx heard by a retry (the first attempt may have acted), a 5xx, nor what is no answer', () => {
    expect(refusedOnFirstAttempt(retried(aws('ThrottlingException', 'client', 400), 2))).toBe(false);
    expect(refusedOnFirstAttempt(aws('InternalError', 'server', 500))).toBe(false);
    expect(refusedOnFirstAttempt(network('ETIMEDOUT'))).toBe(false);
    expect(refusedOnFirstAttempt(new TypeError('x is undefined'))).toBe(false);
    expect(refusedOnFirstAttempt(undefined)).toBe(false);
  });
});
