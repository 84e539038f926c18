/**
 * What Route 53 holds at a name and whose it is (safety rule 7, dns-ownership.ts): the read each write
 * and delete of the record kinds acts on, made again just before it, since the name may change hands
 * between passes. A hosted zone that is gone reads as nothing held.
 */
import type { ResourceContext } from '../types';
import { orUndefinedIfGone } from '../common/not-found';
import { GONE_ZONE } from './dns-record-errors';
import { ownershipOf, type DnsOwner, type Ownership } from './dns-ownership';
import { readName, type NameContents } from './name-contents';

/** The stack as the ownership TXT names it: zones are global and stacks regional. */
export function ownerOf(ctx: ResourceContext): DnsOwner {
  return { stack: ctx.spec.stack, region: ctx.region };
}

/**
 * What Route 53 holds at `recordName` and whose it is; undefined when the zone is gone. `remembered`:
 * whether the stack's bookkeeping says it wrote records there.
 */
export async function readOwnership(
  ctx: ResourceContext,
  zoneId: string,
  recordName: string,
  remembered: boolean,
): Promise<{ contents: NameContents; ownership: Ownership } | undefined> {
  const contents = await orUndefinedIfGone(
    () => readName(ctx.clients.route53, zoneId, recordName),
    GONE_ZONE,
  );
  if (!contents) return undefined;
  const ownership = ownershipOf({
    recordName,
    atName: contents.atName,
    txt: contents.txt,
    owner: ownerOf(ctx),
    remembered,
  });
  return { contents, ownership };
}
