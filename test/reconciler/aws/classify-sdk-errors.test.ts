/**
 * classify() on errors as the SDK itself builds them: each case is an HTTP answer (status and body in
 * the service's protocol) that a real client deserializes, so the shapes are the SDK's, not ours.
 */
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/protocols';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { ReplicatedWriteConflictException } from '@aws-sdk/client-dynamodb';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { classify } from '../../../reconciler/aws/classify';
import { SimulatedCrashError } from '../../../aws-sim';

const credentials = { accessKeyId: 'TEST', secretAccessKey: 'TEST' };

/** A request handler that answers every request with this status, headers and body. */
function answering(statusCode: number, headers: Record<string, string>, body: string) {
  return {
    handle: async () => ({
      response: new HttpResponse({ statusCode, headers, body: Readable.from([Buffer.from(body)]) }),
    }),
  };
}

/** The error a real client throws for that answer (one attempt: what the SDK's retry would see). */
async function sdkError(
  send: (handler: ReturnType<typeof answering>) => Promise<unknown>,
  statusCode: number,
  headers: Record<string, string>,
  body: string,
): Promise<unknown> {
  try {
    await send(answering(statusCode, headers, body));
  } catch (error) {
    return error;
  }
  throw new Error('the call did not fail');
}

const ecs = (status: number, type: string) =>
  sdkError(
    (requestHandler) =>
      new ECSClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler }).send(
        new CreateClusterCommand({ clusterName: 'c' }),
      ),
    status,
    { 'content-type': 'application/x-amz-json-1.1' },
    JSON.stringify({ __type: type, message: `${type} (test)` }),
  );

const ec2 = (status: number, code: string) =>
  sdkError(
    (requestHandler) =>
      new EC2Client({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler }).send(
        new DescribeVpcsCommand({}),
      ),
    status,
    { 'content-type': 'text/xml' },
    `<Response><Errors><Error><Code>${code}</Code><Message>${code} (test)</Message></Error></Errors><RequestID>r</RequestID></Response>`,
  );

const lambda = (status: number, type: string) =>
  sdkError(
    (requestHandler) =>
      new LambdaClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler }).send(
        new GetFunctionCommand({ FunctionName: 'f' }),
      ),
    status,
    { 'content-type': 'application/json', 'x-amzn-errortype': type },
    JSON.stringify({ Type: 'User', message: `${type} (test)` }),
  );

describe('classify on the SDK own errors', () => {
  it.each([
    ['ECS throttling', () => ecs(400, 'ThrottlingException'), 'retryable'],
    ['EC2 throttling (RequestLimitExceeded, a 503)', () => ec2(503, 'RequestLimitExceeded'), 'retryable'],
    ['Lambda TooManyRequestsException (429)', () => lambda(429, 'TooManyRequestsException'), 'retryable'],
    ['an unlisted 429', () => ecs(429, 'SlowDownPlease'), 'retryable'],
    ['ECS ServerException (500)', () => ecs(500, 'ServerException'), 'retryable'],
    ['an unlisted 502', () => ecs(502, 'BadGatewayOfSomeKind'), 'retryable'],
    ['an unlisted 501', () => ecs(501, 'NotImplementedHere'), 'retryable'],
    ['EC2 DependencyViolation', () => ec2(400, 'DependencyViolation'), 'retryable'],
    ['EC2 InvalidVpcID.NotFound', () => ec2(400, 'InvalidVpcID.NotFound'), 'notFound'],
    ['Lambda ResourceNotFoundException', () => lambda(404, 'ResourceNotFoundException'), 'notFound'],
    // The SDK counts LimitExceededException as throttling; ECS means a quota by it: it will not pass.
    ['ECS LimitExceededException (a quota)', () => ecs(400, 'LimitExceededException'), 'terminal'],
    ['ECS InvalidParameterException', () => ecs(400, 'InvalidParameterException'), 'terminal'],
    ['EC2 UnauthorizedOperation', () => ec2(403, 'UnauthorizedOperation'), 'terminal'],
    ['an unlisted 400', () => ecs(400, 'SomethingWrongException'), 'terminal'],
  ])('%s is %s', async (_what, make, verdict) => {
    const error = await make();
    expect(error).toHaveProperty('$metadata.httpStatusCode');
    expect(classify(error)).toBe(verdict);
  });

  it('retries what the service models as retryable (the $retryable trait), whatever its code', () => {
    // DynamoDB models ReplicatedWriteConflictException with the retryable trait; its name is in no list.
    const error = new ReplicatedWriteConflictException({
      $metadata: { httpStatusCode: 400 },
      message: 'later',
    });
    expect(error.$retryable).toBeDefined();
    expect(classify(error)).toBe('retryable');
  });

  it('retries network trouble the SDK retries: a lost name lookup, a timeout wrapped as a cause', () => {
    expect(classify(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }))).toBe(
      'retryable',
    );
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    expect(classify(new Error('request failed', { cause: timeout }))).toBe('retryable');
  });

  it('keeps a crash or a bug fatal though the SDK retry step stamped $metadata on it', () => {
    // The SDK's retry middleware adds `$metadata: { attempts, totalRetryDelay }` to whatever it rethrows.
    const crash = Object.assign(new SimulatedCrashError(3), {
      $metadata: { attempts: 1, totalRetryDelay: 0 },
    });
    const bug = Object.assign(new TypeError('x is undefined'), { $metadata: { attempts: 1 } });
    expect(classify(crash)).toBe('fatal');
    expect(classify(bug)).toBe('fatal');
  });

  it('lets a kind name a throttling-shaped code terminal for its own API', () => {
    const codes = { notFound: [], retryable: [], terminal: ['ThrottlingException'] };
    return ecs(400, 'ThrottlingException').then((error) => expect(classify(error, codes)).toBe('terminal'));
  });
});
