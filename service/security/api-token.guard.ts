import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiToken } from './api-token';

/**
 * Lets a request through only with the API's bearer token: reads of the desired state as well as writes,
 * since the spec holds the stack's environment. It runs before the body is looked at, so an unknown
 * caller learns nothing about what a valid body would be. A request the load balancer received over plain
 * HTTP is refused (403) before the token is looked at: the API takes its token over HTTPS only.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(private readonly token: ApiToken) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const check = this.token.check(http.getRequest<Request>());
    if (check.kind === 'valid') return true;
    // Before the lock and the 401: no challenge that would have the client resend the token in clear.
    if (check.kind === 'plain-http') throw check.refusal;
    if (check.kind === 'locked') {
      // Refusing is the safe default: an image started without a hash must not become readable by anyone.
      throw new ForbiddenException(
        check.misconfigured
          ? 'the API is locked: LAMBDAFLEX_API_TOKEN_SHA256 is not a 64-digit hex SHA-256 (set api.tokenSha256 in the spec)'
          : "the API is locked: no token hash is configured (set api.tokenSha256 in the stack's spec)",
      );
    }
    http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="lambdaflex"');
    throw new UnauthorizedException(
      check.kind === 'missing' ? 'a bearer token is required' : 'the bearer token is not valid',
    );
  }
}
