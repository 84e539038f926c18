import serverlessExpress from '@codegenie/serverless-express';
import type { INestApplication } from '@nestjs/common';
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { RequestListener } from 'node:http';

/** API Gateway HTTP API (payload 2.0) or an ALB target group: the two fronts of the Lambda tier. */
export type HttpEvent = APIGatewayProxyEventV2 | ALBEvent;
export type HttpResult = APIGatewayProxyStructuredResultV2 | ALBResult;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

type Proxy = (event: HttpEvent, context: Context, callback: () => void) => Promise<HttpResult>;

/**
 * Wraps an app factory as a Lambda handler. The app is built on the first invocation and kept for every
 * later one in the same execution environment, since building it is most of a cold start. If building
 * fails, the next invocation tries again instead of failing forever in an environment Lambda keeps alive.
 *
 * @example
 * export const handler = createHandler(() => createApp());
 */
export function createHandler(build: () => Promise<INestApplication>): HttpHandler {
  let proxy: Promise<Proxy> | undefined;
  const ready = (): Promise<Proxy> => {
    proxy ??= build().then(
      (app) => serverlessExpress({ app: app.getHttpAdapter().getInstance() as RequestListener }) as Proxy,
      (error: unknown) => {
        proxy = undefined;
        throw error;
      },
    );
    return proxy;
  };
  return async (event, context) => {
    const invoke = await ready();
    // The adapter answers through its promise; the callback is only part of the legacy signature.
    return invoke(event, context, () => undefined);
  };
}
