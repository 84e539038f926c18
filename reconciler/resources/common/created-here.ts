/**
 * Some creates "succeed" by answering with a resource that already existed: ELBv2's CreateLoadBalancer and
 * CreateTargetGroup with the same name and settings, ECS's CreateCluster with the name of an active
 * cluster. If someone else's resource took the name between the stack's look-up and its create (another
 * installation's stack of the same name, a person), the answer names it, and recording it would make it
 * the stack's to modify and delete (docs/ownership.md, safety rule 3). So the kinds whose create can
 * answer that way prove the answer is what this create made before anything else is done with it: the
 * resource carries the create's nonce, which was random and journaled just before the call, so only this
 * create (or an SDK retry of the same call) can have written it; or the nonce of an earlier create of the
 * stack's whose answer was lost.
 */
import { awsMessage, classify } from '../../aws/classify';
import { TAG_NONCE } from '../../../spec';
import type { ResourceContext, StackSpec } from '../types';

/** The create was answered with a resource it did not make: nothing of the stack's exists under its nonce. */
export class NotCreatedHereError extends Error {
  override readonly name = 'NotCreatedHereError';

  constructor(
    readonly key: string,
    readonly id: string,
    operation: string,
  ) {
    super(
      `${operation} answered with ${id}, which already existed (it does not carry this create's nonce): the name is taken by a resource that is not this stack's, and it is left alone`,
    );
  }
}

/** The resource's tags are not visible yet: whether this create made it is known only once they are. */
export class CreateUnconfirmedError extends Error {
  override readonly name = 'CreateUnconfirmedError';

  constructor(
    readonly key: string,
    readonly id: string,
    operation: string,
    why = 'whose tags are not visible yet',
  ) {
    super(
      `${operation} answered with ${id}, ${why}; the next pass looks for it by name and takes it only if it carries this create's nonce`,
    );
  }
}

/**
 * Reads the tags of what a create call answered with. The create call has answered: a resource exists, and
 * may be this create's. An error of the read (throttled, its retries spent; not found yet) says nothing of
 * the create, so it must not pass for the create's refusal, which would drop the journaled intent while
 * the resource carrying its nonce exists, leaving it foreign to the stack for good. Whether it is ours is
 * then unconfirmed: the intent stays, and the next pass finds it by name.
 */
export async function readBackTags(
  answer: { key: string; id: string; operation: string },
  read: () => Promise<Record<string, string> | undefined>,
): Promise<Record<string, string> | undefined> {
  try {
    return await read();
  } catch (error) {
    if (classify(error) === 'fatal') throw error;
    throw new CreateUnconfirmedError(
      answer.key,
      answer.id,
      answer.operation,
      `whose tags could not be read (${awsMessage(error)})`,
    );
  }
}

/**
 * Throws unless `tags` (read from AWS after the create, not the ones sent) carry this create's nonce, or
 * the nonce of an earlier create of the key the stack journaled (a pass that died before its answer, whose
 * resource the look-up before this create did not see yet), or are the nonce of the resource at this very
 * id that the stack forgot after its not-found window (a finder that missed it: engine/ownership.ts, so
 * only where AWS never gives the id to another resource). Without a nonce (no ownership records: a unit
 * test of the kind alone) there is nothing to prove with, and the answer is taken as it is. Returns the
 * nonce the resource carries, for the record.
 */
export function assertCreatedHere(
  answer: { key: string; id: string; operation: string },
  tags: Readonly<Record<string, string>> | undefined,
  ctx: Pick<ResourceContext<StackSpec>, 'nonce' | 'ownership'>,
): string | undefined {
  if (ctx.nonce === undefined) return undefined;
  if (tags === undefined || Object.keys(tags).length === 0) {
    throw new CreateUnconfirmedError(answer.key, answer.id, answer.operation);
  }
  const ours =
    tags[TAG_NONCE] === ctx.nonce ||
    (tags[TAG_NONCE] !== undefined && ctx.ownership?.isRecorded(answer.key, answer.id, tags) === true);
  if (!ours) throw new NotCreatedHereError(answer.key, answer.id, answer.operation);
  return tags[TAG_NONCE];
}

/**
 * The read-back and the proof together, for a create that answers with whatever holds the name: reads the
 * answered resource's tags (unless there is no nonce to prove with) and returns the nonce it carries, or
 * throws as `readBackTags` and `assertCreatedHere` do.
 */
export async function confirmCreatedHere(
  answer: { key: string; id: string; operation: string },
  ctx: Pick<ResourceContext<StackSpec>, 'nonce' | 'ownership'>,
  read: () => Promise<Record<string, string> | undefined>,
): Promise<string | undefined> {
  if (ctx.nonce === undefined) return undefined;
  return assertCreatedHere(answer, await readBackTags(answer, read), ctx);
}

/**
 * A create refused on an attempt that the SDK retried after a server error or a timeout: the refusal may
 * be the first attempt's own doing ("already exists", a CIDR "conflicts with another subnet"), so it says
 * nothing final. The intent stays and the next pass looks for what the first attempt made.
 */
export class RetriedCreateRefusedError extends Error {
  override readonly name = 'RetriedCreateRefusedError';

  constructor(
    readonly key: string,
    readonly refusal: string,
  ) {
    super(
      `${refusal}, on a retry after a server error or a timeout: the first attempt may have made it; the next pass looks for it`,
    );
  }
}
