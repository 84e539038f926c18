/**
 * The Node.js runtime of the reconciler Lambda and the image: current, one constant for both, and
 * never past Lambda's deprecation date (this test starts failing the day it is, on the real clock).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_KEY } from '../../../reconciler/bootstrap/reconciler-function';
import { bootstrapResources, SYSTEM_SPEC } from '../../../reconciler/bootstrap/kinds';
import {
  NODE_BASE_IMAGE,
  NODE_LAMBDA_RUNTIME,
  NODE_LAMBDA_RUNTIMES,
  NODE_MAJOR,
  isDeprecated,
} from '../../../reconciler/runtime/lambda-runtimes';
import { LambdaClient, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClients } from '../../../reconciler/aws/clients';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_INTENT } from '../../../reconciler/resources/intent';

const ROOT = join(__dirname, '..', '..', '..');

describe('the Node.js Lambda runtime', () => {
  it('is not past its deprecation date today', () => {
    expect({
      runtime: NODE_LAMBDA_RUNTIME,
      deprecated: isDeprecated(NODE_LAMBDA_RUNTIME, Date.now()),
    }).toEqual({
      runtime: NODE_LAMBDA_RUNTIME,
      deprecated: false,
    });
  });

  it('is Node.js 22 or newer', () => {
    expect(NODE_MAJOR).toBeGreaterThanOrEqual(22);
  });

  it('counts a runtime as deprecated from its deprecation date, and an unknown one always', () => {
    expect(isDeprecated('nodejs20.x', Date.UTC(2026, 3, 29))).toBe(false);
    expect(isDeprecated('nodejs20.x', Date.UTC(2026, 3, 30))).toBe(true);
    expect(isDeprecated('nodejs16.x', Date.UTC(2020, 0, 1))).toBe(true);
  });

  it('has a well-formed table: ISO dates, newer majors deprecated later', () => {
    for (const r of NODE_LAMBDA_RUNTIMES) {
      expect(r.id).toBe(`nodejs${r.nodeMajor}.x`);
      expect(r.deprecation).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (r.blockUpdate) expect(r.blockUpdate > r.deprecation).toBe(true);
    }
    const byMajor = [...NODE_LAMBDA_RUNTIMES].sort((a, b) => a.nodeMajor - b.nodeMajor);
    const dates = byMajor.map((r) => r.deprecation);
    expect(dates).toEqual([...dates].sort());
  });

  it('is the one the reconciler function is created with', async () => {
    const lambda = mockClient(LambdaClient);
    lambda
      .on(CreateFunctionCommand)
      .resolves({ FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:x' });
    // The create is journaled in the system record first (reconciler/bootstrap/proven.ts).
    const dynamodb = mockClient(DynamoDBDocumentClient);
    dynamodb.on(UpdateCommand).resolves({});
    const fn = bootstrapResources({
      dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
      tableName: 't',
      region: 'eu-west-1',
      zip: new Uint8Array([1]),
    }).find((k) => k.key === FUNCTION_KEY)!;
    await fn.create({
      clients: { lambda: new LambdaClient({ region: 'eu-west-1' }) } as unknown as AwsClients,
      spec: SYSTEM_SPEC,
      refs: {},
      region: 'eu-west-1',
      now: () => 0,
      intent: DEFAULT_INTENT,
    });
    expect(lambda.commandCalls(CreateFunctionCommand)[0]!.args[0].input.Runtime).toBe(NODE_LAMBDA_RUNTIME);
    lambda.restore();
    dynamodb.restore();
  });

  it('is the image base and the bundles target, from one number', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ARG BASE_IMAGE=${NODE_BASE_IMAGE}\n`);
    for (const script of ['scripts/bundle.mjs', 'scripts/bundle-service.mjs']) {
      const text = readFileSync(join(ROOT, script), 'utf8');
      expect(text).toContain('target: `node${NODE_MAJOR}`');
      expect(text).not.toMatch(/target: 'node\d+'/);
    }
  });
});
