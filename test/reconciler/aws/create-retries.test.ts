/**
 * The SDK's retries of the creates AWS does not make idempotent (docs/ownership.md "Creates journaled with
 * a nonce"): real clients, configured as createAwsClients configures them, each attempt answered by a
 * request handler that records what was sent. A create answered by a 5xx or a timeout may have taken
 * effect: it is not sent again. A throttled one was refused, and is.
 */
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/protocols';
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import {
  AssociateRouteTableCommand,
  CreateInternetGatewayCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreatePolicyVersionCommand, IAMClient, ListPolicyVersionsCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../../reconciler/aws/clients';
import { guardCreateRetries } from '../../../reconciler/aws/create-retries';

const credentials = { accessKeyId: 'TEST', secretAccessKey: 'TEST' };

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** Answers the requests in turn with `answers` (the last one again once they run out), recording each. */
function answering(answers: (Answer | Error)[]) {
  const sent: { path: string; body: string; target?: string }[] = [];
  return {
    sent,
    handler: {
      handle: async (request: { path: string; body?: unknown; headers: Record<string, string> }) => {
        sent.push({
          path: request.path,
          body: typeof request.body === 'string' ? request.body : '',
          target: request.headers['x-amz-target'],
        });
        const answer = answers[Math.min(sent.length, answers.length) - 1]!;
        if (answer instanceof Error) throw answer;
        return {
          response: new HttpResponse({
            statusCode: answer.status,
            headers: answer.headers ?? {},
            body: Readable.from([Buffer.from(answer.body)]),
          }),
        };
      },
    },
  };
}

const ec2Error = (status: number, code: string): Answer => ({
  status,
  body: `<Response><Errors><Error><Code>${code}</Code><Message>injected</Message></Error></Errors><RequestID>r-1</RequestID></Response>`,
});
const EC2_INTERNAL_ERROR = ec2Error(503, 'InternalError');
// EC2 answers its request rate limit with 503 too: the code, not the status, says it was refused.
const EC2_THROTTLED = ec2Error(503, 'RequestLimitExceeded');
const ec2Ok = (operation: string, inner: string): Answer => ({
  status: 200,
  body: `<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-2</requestId>${inner}</${operation}Response>`,
});
const VPC_MADE = ec2Ok('CreateVpc', '<vpc><vpcId>vpc-1</vpcId><cidrBlock>10.0.0.0/16</cidrBlock></vpc>');
const TIMEOUT = () =>
  Object.assign(new Error('a request has exceeded the configured 10000 ms requestTimeout'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });

/** Built as createAwsClients builds its clients (3 attempts, adaptive), then guarded. */
function ec2(answers: (Answer | Error)[]) {
  const { sent, handler } = answering(answers);
  const client = new EC2Client({
    region: 'us-east-1',
    credentials,
    maxAttempts: 3,
    retryMode: 'adaptive',
    requestHandler: handler,
  });
  guardCreateRetries({ ec2: client } as Partial<AwsClients>);
  return { client, sent };
}

function apigatewayv2(answers: (Answer | Error)[]) {
  const { sent, handler } = answering(answers);
  const client = new ApiGatewayV2Client({
    region: 'us-east-1',
    credentials,
    maxAttempts: 3,
    retryMode: 'adaptive',
    requestHandler: handler,
  });
  guardCreateRetries({ apigatewayv2: client } as Partial<AwsClients>);
  return { client, sent };
}

const REST_UNAVAILABLE: Answer = {
  status: 503,
  headers: { 'x-amzn-errortype': 'ServiceUnavailableException' },
  body: '{"message":"injected"}',
};

async function failure(
  call: Promise<unknown>,
): Promise<{ name?: string; $metadata?: { attempts?: number } }> {
  try {
    await call;
  } catch (error) {
    return error as { name?: string; $metadata?: { attempts?: number } };
  }
  throw new Error('the call did not fail');
}

describe('creates AWS does not make idempotent, answered with what may hide a create that took effect', () => {
  it('CreateVpc answered 503 is sent once, and the caller hears the 503 after one attempt', async () => {
    const { client, sent } = ec2([EC2_INTERNAL_ERROR, VPC_MADE]);
    const error = await failure(client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })));
    expect(sent).toHaveLength(1);
    expect(error).toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 503, attempts: 1 } });
  });

  it('CreateVpc that times out is sent once, and the caller hears the timeout', async () => {
    const { client, sent } = ec2([TIMEOUT(), VPC_MADE]);
    const error = await failure(client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })));
    expect(sent).toHaveLength(1);
    expect(error).toMatchObject({ name: 'TimeoutError', $metadata: { attempts: 1 } });
  });

  it('CreateInternetGateway answered 503 is sent once', async () => {
    const { client, sent } = ec2([EC2_INTERNAL_ERROR]);
    await failure(client.send(new CreateInternetGatewayCommand({})));
    expect(sent).toHaveLength(1);
  });

  it('AssociateRouteTable answered 503 is sent once: its retry would hear Resource.AlreadyAssociated', async () => {
    const { client, sent } = ec2([EC2_INTERNAL_ERROR]);
    await failure(
      client.send(new AssociateRouteTableCommand({ RouteTableId: 'rtb-1', SubnetId: 'subnet-1' })),
    );
    expect(sent).toHaveLength(1);
  });

  it('CreateApi and CreateIntegration answered 503 are sent once', async () => {
    const api = apigatewayv2([REST_UNAVAILABLE]);
    await failure(api.client.send(new CreateApiCommand({ Name: 'lf-orders-api', ProtocolType: 'HTTP' })));
    expect(api.sent).toHaveLength(1);
    const integration = apigatewayv2([REST_UNAVAILABLE]);
    await failure(
      integration.client.send(
        new CreateIntegrationCommand({ ApiId: 'a1', IntegrationType: 'AWS_PROXY', IntegrationUri: 'arn' }),
      ),
    );
    expect(integration.sent).toHaveLength(1);
  });

  it('RegisterTaskDefinition answered 503 is sent once', async () => {
    const { sent, handler } = answering([
      { status: 503, body: '{"__type":"ServiceUnavailableException","message":"injected"}' },
    ]);
    const client = new ECSClient({
      region: 'us-east-1',
      credentials,
      maxAttempts: 3,
      retryMode: 'adaptive',
      requestHandler: handler,
    });
    guardCreateRetries({ ecs: client } as Partial<AwsClients>);
    await failure(client.send(new RegisterTaskDefinitionCommand({ family: 'f', containerDefinitions: [] })));
    expect(sent).toHaveLength(1);
  });

  it('CreatePolicyVersion answered 503 is sent once; ListPolicyVersions answered 503 is sent again', async () => {
    const unavailable: Answer = {
      status: 503,
      body: '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>injected</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
    };
    const { sent, handler } = answering([unavailable]);
    const client = new IAMClient({
      region: 'us-east-1',
      credentials,
      maxAttempts: 3,
      retryMode: 'adaptive',
      requestHandler: handler,
    });
    guardCreateRetries({ iam: client } as Partial<AwsClients>);
    const arn = 'arn:aws:iam::123456789012:policy/lambdaflex/us-east-1/p';
    const refused = await failure(
      client.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: '{}', SetAsDefault: true }),
      ),
    );
    expect(refused).toMatchObject({ name: 'ServiceUnavailable', $metadata: { attempts: 1 } });
    expect(sent.map((r) => new URLSearchParams(r.body).get('Action'))).toEqual(['CreatePolicyVersion']);
    sent.length = 0;
    await failure(client.send(new ListPolicyVersionsCommand({ PolicyArn: arn })));
    expect(sent.map((r) => new URLSearchParams(r.body).get('Action'))).toEqual([
      'ListPolicyVersions',
      'ListPolicyVersions',
      'ListPolicyVersions',
    ]);
  });

  it('CreateVpc whose connection was reset (sent, answer lost) is sent once', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { client, sent } = ec2([reset, VPC_MADE]);
    await failure(client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })));
    expect(sent).toHaveLength(1);
  });

  it('CreateVpc whose connection never opened (refused) reached no one: the SDK sends it again', async () => {
    const refusedConnection = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { client, sent } = ec2([refusedConnection, VPC_MADE]);
    const answer = await client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    expect(sent).toHaveLength(2);
    expect(answer.Vpc?.VpcId).toBe('vpc-1');
  });

  it('CreateVpc throttled was refused, not made: the SDK sends it again', async () => {
    const { client, sent } = ec2([EC2_THROTTLED, VPC_MADE]);
    const answer = await client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    expect(sent).toHaveLength(2);
    expect(answer.Vpc?.VpcId).toBe('vpc-1');
    expect(answer.$metadata.attempts).toBe(2);
  });
});

describe('calls a retry cannot duplicate keep the SDK’s retries', () => {
  it('DescribeVpcs answered 503 is sent again', async () => {
    const { client, sent } = ec2([EC2_INTERNAL_ERROR, ec2Ok('DescribeVpcs', '<vpcSet/>')]);
    await client.send(new DescribeVpcsCommand({}));
    expect(sent).toHaveLength(2);
  });

  it('CreateRouteTable answered 503 is sent again with the same ClientToken (AWS answers the same table)', async () => {
    const table = ec2Ok('CreateRouteTable', '<routeTable><routeTableId>rtb-1</routeTableId></routeTable>');
    const { client, sent } = ec2([EC2_INTERNAL_ERROR, table]);
    await client.send(new CreateRouteTableCommand({ VpcId: 'vpc-1', ClientToken: 'lf-orders-api-rt-n1' }));
    expect(sent).toHaveLength(2);
    expect(sent.map((s) => new URLSearchParams(s.body).get('ClientToken'))).toEqual([
      'lf-orders-api-rt-n1',
      'lf-orders-api-rt-n1',
    ]);
  });

  it('CreateSubnet answered 503 is sent again: a retry of one that took effect hears its CIDR conflict', async () => {
    const subnet = ec2Ok('CreateSubnet', '<subnet><subnetId>subnet-1</subnetId></subnet>');
    const { client, sent } = ec2([EC2_INTERNAL_ERROR, subnet]);
    await client.send(new CreateSubnetCommand({ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' }));
    expect(sent).toHaveLength(2);
  });

  it('CreateRoute (API Gateway) answered 503 is sent again: its route key is unique in the API', async () => {
    const { client, sent } = apigatewayv2([
      REST_UNAVAILABLE,
      { status: 201, body: '{"routeId":"r1","routeKey":"$default"}' },
    ]);
    await client.send(new CreateRouteCommand({ ApiId: 'a1', RouteKey: '$default' }));
    expect(sent).toHaveLength(2);
  });

  it('a create and a read sent at once, both answered 503: only the read is sent again', async () => {
    let creates = 0;
    let reads = 0;
    const client = new EC2Client({
      region: 'us-east-1',
      credentials,
      maxAttempts: 3,
      retryMode: 'adaptive',
      requestHandler: {
        handle: async (request: { body?: unknown; headers: Record<string, string>; path: string }) => {
          const action = new URLSearchParams(String(request.body)).get('Action');
          const first = action === 'CreateVpc' ? ++creates === 1 : ++reads === 1;
          const answer = first
            ? EC2_INTERNAL_ERROR
            : action === 'CreateVpc'
              ? VPC_MADE
              : ec2Ok('DescribeVpcs', '<vpcSet/>');
          return {
            response: new HttpResponse({
              statusCode: answer.status,
              headers: {},
              body: Readable.from([Buffer.from(answer.body)]),
            }),
          };
        },
      },
    });
    guardCreateRetries({ ec2: client } as Partial<AwsClients>);
    const [created, read] = await Promise.allSettled([
      client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })),
      client.send(new DescribeVpcsCommand({})),
    ]);
    expect(created.status).toBe('rejected');
    expect(read.status).toBe('fulfilled');
    expect({ creates, reads }).toEqual({ creates: 1, reads: 2 });
  });

  it('guarding the same clients again (every pass does) changes nothing', async () => {
    const { client, sent } = ec2([EC2_THROTTLED, EC2_INTERNAL_ERROR, VPC_MADE]);
    const strategy = await client.config.retryStrategy();
    guardCreateRetries({ ec2: client } as Partial<AwsClients>);
    guardCreateRetries({ ec2: client } as Partial<AwsClients>);
    // The strategy is wrapped once, not once more on every pass of a long-lived process.
    expect(await client.config.retryStrategy()).toBe(strategy);
    const error = await failure(client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' })));
    // Throttled (sent again), then a 503 (not sent again).
    expect(sent).toHaveLength(2);
    expect(error).toMatchObject({ name: 'InternalError', $metadata: { attempts: 2 } });
  });
});
