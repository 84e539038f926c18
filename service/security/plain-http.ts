import { ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';
import type { ServiceConfig } from '../config/service-config';

/**
 * Whether the load balancer in front says the client reached it over something other than HTTPS. The
 * stack's ALB sets `X-Forwarded-Proto` to the protocol of the client's connection (`http` on its HTTP
 * listener, which is the only one of a stack without `dns`) and replaces any value the client sent, so the
 * header is the ALB's word. API Gateway's HTTP API (the Lambda tier) is HTTPS only and says `https`; the
 * local sandbox sends none: without the header the request is taken as it came. Anything present that is
 * not `https` alone (`http`, two values joined by a proxy that appends, an unknown scheme) counts as plain:
 * refusing an odd value costs a retry over HTTPS, accepting it could cost the token.
 */
export function receivedOverPlainHttp(req: Pick<Request, 'headers'>): boolean {
  const raw = req.headers['x-forwarded-proto'];
  if (raw === undefined) return false;
  const values = (Array.isArray(raw) ? raw.join(',') : raw).split(',').map((v) => v.trim().toLowerCase());
  return !values.every((v) => v === 'https');
}

/**
 * The answer to a request for the token-guarded API that came over plain HTTP: 403, as RFC 9110 §15.5.4
 * has it (the server refuses whatever the credentials; the client should not repeat the request with the
 * same ones). Not 401: its challenge asks the client to send the token again, on the same clear channel.
 * Not a redirect: a client would follow it silently and keep its `http://` URL, and the stack's HTTPS URL
 * (its HTTP API's id, its `dns` name) is in the record, which a refused request does not get to read.
 */
export function plainHttpRefusal(config: Pick<ServiceConfig, 'stack' | 'region'>): ForbiddenException {
  const region = config.region ?? '<region>';
  const status = config.stack ? `lambdaflex status ${config.stack}` : 'lambdaflex status <stack>';
  return new ForbiddenException(
    'the API takes its bearer token over HTTPS only, and this request reached the load balancer over plain ' +
      'HTTP (X-Forwarded-Proto), where anyone on the path can read the token: it was refused without looking ' +
      `at the token, reading or writing anything. Send it over HTTPS to the stack's API Gateway URL ` +
      `(https://<api-id>.execute-api.${region}.amazonaws.com, the Lambda tier's, which is always up; ` +
      `\`${status}\` prints it) or to https://<dns.recordName> if the stack has dns. ` +
      'A token already sent over plain HTTP must be taken as known: rotate it (api.tokenSha256).',
  );
}
