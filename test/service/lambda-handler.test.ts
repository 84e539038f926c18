import type { ALBResult, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createApp } from '../../service/app';
import { createHandler, type HttpEvent } from '../../service/lambda-handler';
import { silentLogger } from '../../service/logging/request-logger';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';

function fixture(name: string): HttpEvent {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as HttpEvent;
}

const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'lf-shop-fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:lf-shop-fn',
  memoryLimitInMB: '512',
  awsRequestId: '8476a536-e9f4-11e8-9739-2dfe598c3fcd',
  logGroupName: '/aws/lambda/lf-shop-fn',
  logStreamName: '2025/11/27/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

describe('createHandler', () => {
  const apps: { close(): Promise<void> }[] = [];
  const factory = jest.fn(async () => {
    const app = await createApp({
      store: new InMemoryStateStore(),
      env: { LAMBDAFLEX_STACK: 'shop' },
      requestLogger: silentLogger,
      nestLogLevels: false,
    });
    apps.push(app);
    return app;
  });
  const handler = createHandler(factory);
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  describe('API Gateway HTTP API (payload 2.0)', () => {
    it('answers GET /health with status, headers and a JSON body', async () => {
      const res = (await handler(
        fixture('apigw-v2-get-health'),
        context,
      )) as APIGatewayProxyStructuredResultV2;
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body ?? '')).toEqual({ status: 'ok' });
      expect(res.isBase64Encoded).toBe(false);
      expect(res.headers?.['content-type']).toMatch(/^application\/json/);
      expect(res.headers?.['x-request-id']).toBe('apigw-req-1');
    });

    it('decodes a base64 request body', async () => {
      const res = (await handler(
        fixture('apigw-v2-post-items-base64'),
        context,
      )) as APIGatewayProxyStructuredResultV2;
      expect(res.statusCode).toBe(201);
      expect(JSON.parse(res.body ?? '')).toMatchObject({ name: 'teapot', price: 12.5, tags: ['kitchen'] });
    });

    it('answers a binary response base64-encoded', async () => {
      const res = (await handler(
        fixture('apigw-v2-get-favicon'),
        context,
      )) as APIGatewayProxyStructuredResultV2;
      expect(res.statusCode).toBe(200);
      expect(res.headers?.['content-type']).toBe('image/png');
      expect(res.isBase64Encoded).toBe(true);
      const png = Buffer.from(res.body ?? '', 'base64');
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    });
  });

  describe('ALB', () => {
    it('answers with single-value headers when the target group sends them', async () => {
      const res = (await handler(fixture('alb-get-items'), context)) as ALBResult;
      expect(res.statusCode).toBe(200);
      expect(Array.isArray(JSON.parse(res.body ?? ''))).toBe(true);
      expect(res.headers?.['x-request-id']).toBe('alb-req-1');
      expect(res.multiValueHeaders).toBeUndefined();
    });

    it('decodes a base64 request body', async () => {
      const res = (await handler(fixture('alb-post-items-base64'), context)) as ALBResult;
      expect(res.statusCode).toBe(201);
      expect(JSON.parse(res.body ?? '')).toMatchObject({ name: 'teapot' });
      expect(res.isBase64Encoded).toBe(false);
    });

    it('answers with multi-value headers when the target group has them enabled', async () => {
      const res = (await handler(fixture('alb-multivalue-get-health'), context)) as ALBResult;
      expect(res.statusCode).toBe(200);
      expect(res.multiValueHeaders?.['x-request-id']).toEqual(['alb-mv-req-1']);
      expect(res.headers).toBeUndefined();
    });
  });

  it('builds the app once for all the invocations of an execution environment', () => {
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('builds the app once even for invocations that arrive while it is being built', async () => {
    const build = jest.fn(factory);
    const fresh = createHandler(build);
    const [a, b] = await Promise.all([
      fresh(fixture('apigw-v2-get-health'), context),
      fresh(fixture('alb-get-items'), context),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('tries to build the app again after a failed build', async () => {
    const build = jest.fn().mockRejectedValueOnce(new Error('boom')).mockImplementation(factory);
    const flaky = createHandler(build);
    await expect(flaky(fixture('apigw-v2-get-health'), context)).rejects.toThrow('boom');
    const res = await flaky(fixture('apigw-v2-get-health'), context);
    expect(res.statusCode).toBe(200);
    expect(build).toHaveBeenCalledTimes(2);
  });
});
