import { type ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../config/tokens';
import { plainHttpRefusal, receivedOverPlainHttp } from './plain-http';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** What a request's `Authorization` header proves. */
export type TokenCheck =
  | { kind: 'valid' }
  /**
   * The load balancer says the request came over plain HTTP: the token was not looked at. `refusal` is the
   * 403 that says where to send it instead (./plain-http); the guard throws it, the status only for a token.
   */
  | { kind: 'plain-http'; refusal: ForbiddenException }
  /** No usable hash is configured: nobody can be let in. `misconfigured` when one was given but is no SHA-256. */
  | { kind: 'locked'; misconfigured: boolean }
  | { kind: 'missing' }
  | { kind: 'invalid' };

/**
 * Checks `Authorization: Bearer <token>` against the configured hash (`LAMBDAFLEX_API_TOKEN_SHA256`, set
 * by the reconciler from the spec's `api.tokenSha256`). Hashing first gives both sides the same length,
 * which `timingSafeEqual` needs, and compares in constant time, so the response time says nothing about
 * how much of a guess was right. Only the hash is configured: the service never holds the token.
 */
@Injectable()
export class ApiToken {
  private readonly expected: Buffer | undefined;
  private readonly misconfigured: boolean;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    const hash = config.apiTokenSha256;
    this.expected = hash !== undefined && SHA256_HEX.test(hash) ? Buffer.from(hash, 'hex') : undefined;
    this.misconfigured = hash !== undefined && this.expected === undefined;
  }

  check(req: Pick<Request, 'headers'>): TokenCheck {
    // First of all: over plain HTTP the token is refused whatever it is, and whether the API is locked.
    if (receivedOverPlainHttp(req)) return { kind: 'plain-http', refusal: plainHttpRefusal(this.config) };
    if (!this.expected) return { kind: 'locked', misconfigured: this.misconfigured };
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) return { kind: 'missing' };
    const actual = createHash('sha256').update(token, 'utf8').digest();
    return timingSafeEqual(actual, this.expected) ? { kind: 'valid' } : { kind: 'invalid' };
  }
}
