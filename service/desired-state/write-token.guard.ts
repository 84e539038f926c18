import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../config/tokens';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Lets a write through only with `Authorization: Bearer <token>` whose SHA-256 equals the configured hash.
 * Hashing first gives both sides the same length, which `timingSafeEqual` needs, and compares in constant
 * time so the response time says nothing about how much of a guess was right.
 */
@Injectable()
export class WriteTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;
  /** A hash was given but is not one: said in the 403 so the operator sees the typo. */
  private readonly misconfigured: boolean;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    const hash = config.apiTokenSha256;
    this.expected = hash !== undefined && SHA256_HEX.test(hash) ? Buffer.from(hash, 'hex') : undefined;
    this.misconfigured = hash !== undefined && this.expected === undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      // Refusing is the safe default: an image started without a hash must not become writable by anyone.
      throw new ForbiddenException(
        this.misconfigured
          ? 'writes are disabled: LAMBDAFLEX_API_TOKEN_SHA256 is not a 64-digit hex SHA-256'
          : 'writes are disabled: LAMBDAFLEX_API_TOKEN_SHA256 is not set on this service',
      );
    }
    const http = context.switchToHttp();
    const header = http.getRequest<Request>().headers.authorization;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    const actual = token === undefined ? undefined : createHash('sha256').update(token, 'utf8').digest();
    if (actual === undefined || !timingSafeEqual(actual, this.expected)) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="lambdaflex"');
      throw new UnauthorizedException(
        token === undefined ? 'a bearer token is required to write' : 'the bearer token is not valid',
      );
    }
    return true;
  }
}
