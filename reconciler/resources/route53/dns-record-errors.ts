/**
 * How the record kinds' errors are classified (reconciler/aws/classify.ts reads these lists), and the
 * errors they raise themselves: a name that stopped being the stack's between the plan and the write,
 * and a fargate weight with no active ALB to carry it, are retried by the next pass, which observes
 * again; an alias target that can't be named is terminal until the spec (or region) changes.
 */
import { errorCode } from '../../aws/classify';
import type { ErrorCodes } from '../types';
import { RECORD_SET_TYPE } from './weighted-record';

/** A hosted zone that is gone holds no record of ours: read as not found. */
export const GONE_ZONE: ErrorCodes = { notFound: ['NoSuchHostedZone'], retryable: [], terminal: [] };

/** Thrown when the name stopped being this stack's between the plan and the write: the next pass reports it. */
export class DnsNameTakenError extends Error {
  override readonly name = 'DnsNameTaken';
  /** An AWS-like client answer for classify(); retryable, so that the next pass observes the conflict. */
  readonly $fault = 'client';
  constructor(verb: string, key: string, inTheWay: string) {
    super(`${verb} ${RECORD_SET_TYPE} (${key}): ${inTheWay}`);
  }
}

export const dnsRecordErrors: ErrorCodes = {
  notFound: [],
  // Route 53 still processing a prior change on the zone (ours or another stack's): the SDK retries it
  // at once, the engine after the first backoff delay, every time (`busy`).
  retryable: ['PriorRequestNotComplete', 'DnsNameTaken', 'AlbNotReady'],
  busy: ['PriorRequestNotComplete'],
  // A conflicting non-weighted record, a zone that does not exist, a target in another partition.
  terminal: ['InvalidChangeBatch', 'NoSuchHostedZone', 'InvalidInput', 'UnknownApiGatewayZone'],
  // Someone changed the name between our read and our write (a CREATE that now exists, a guard whose TXT
  // changed, a DELETE of what is gone): the next pass reads again and decides.
  retryableWhen: [
    {
      code: 'InvalidChangeBatch',
      message: /but it already exists|do not match the current values|was not found/,
    },
  ],
};

/**
 * The fargate record can't be written as asked: it would route traffic to an ALB not seen active in this
 * pass, or be made without an ALB to point at (its look-up or create failed). Retried, never guessed.
 */
export class AlbNotReadyError extends Error {
  override readonly name = 'AlbNotReady';
  readonly $fault = 'client';
}

/** Route 53's answer to a DELETE of a record that is not there (any more). */
export function isAlreadyDeleted(error: unknown): boolean {
  const message = (error as { message?: unknown }).message;
  return (
    errorCode(error) === 'InvalidChangeBatch' && typeof message === 'string' && /was not found/.test(message)
  );
}
