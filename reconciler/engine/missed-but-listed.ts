/**
 * What keeps a stack from being called settled (or its deletion done) although its observation planned
 * nothing: resources of its own that the observation missed and another inventory still lists.
 *
 * A finder can miss a resource for longer than its not-found window (EC2's listings lag together: the VPC
 * and everything in it, while the Fargate tier is torn down and nothing found holds them). The stack then
 * forgets it, keeping its `{id, nonce}` pair (engine/forgotten-pairs.ts), and deletes it only once a
 * finder shows it again with that pair (docs/ownership.md, safety rule 3). Meanwhile the plan has nothing
 * to do, and "settled" would be said with the resource still in the account, until the next full
 * observation happens to find it (up to 15 minutes): a user deleting the stack, or reading its cost, then
 * is misled. The Resource Groups Tagging API is an index of its own, which does not lag with EC2's
 * replicas: a forgotten pair whose id it still lists with the stack's tag is a resource the stack knows
 * it made and has not seen go. The stack is not settled while it does, and comes back soon to read again.
 *
 * Only the stack's own are counted: the ids of its forgotten pairs, never whatever else carries its tags
 * (a copy of them, another installation's stack of the same name): those are reported by the observation
 * that finds them, or never read at all (another installation's task definition revisions).
 *
 * Pure.
 */
import type { ForgottenResource } from '../state/bookkeeping';
import { inventoryKeys } from './observation-snapshot';
import type { Observation } from './types';

/**
 * How long after a resource was forgotten a listing of it holds the stack unsettled. EC2's replicas lag
 * seconds to minutes (AWS advises backing off "up to a few minutes", "Eventual consistency in the Amazon
 * EC2 API"); the Tagging API's index can lag a delete as well (users report it listing resources deleted
 * since). A resource no finder has shown for an hour after it was forgotten, still listed, is taken for
 * the index's own lag: the stack settles, and the pair, kept for a week, still takes the resource back
 * should a finder show it (and the stack's next full observation, within 15 minutes, looks).
 */
export const LISTED_HOLDS_FOR_MS = 60 * 60_000;

/** A resource of the stack's own that its observation missed and the Tagging API lists. */
export interface MissedButListed {
  key: string;
  id: string;
  /** When the stack forgot it (epoch ms, AWS's clock). */
  forgottenAt: number;
}

export interface MissedButListedInput {
  /**
   * The ARNs the Tagging API lists with the stack's tag; undefined when listing them failed (throttled,
   * not allowed): then every young pair counts, as unknown is not absent (safety rule 6).
   */
  inventory: readonly string[] | undefined;
  /** The stack's forgotten pairs, by key, as the pass leaves them. */
  forgotten: Readonly<Record<string, readonly ForgottenResource[]>>;
  /** By key, the ids the stack still tracks besides the one in use (earlier revisions, retired by the plan). */
  earlier?: Readonly<Record<string, readonly string[]>>;
  /**
   * By key, the service whose ARNs end in the key's ids (`ec2` for `vpc/vpc-0abc`): a pair's id is listed
   * by an ARN that is the id, or one of that service ending in it. Anyone may name a resource of their own
   * like the stack's role, or after its API's id, and tag it with the stack's tag; its ARN ends in the
   * id. A key without a service (its id a name: an IAM role, which the Tagging API never lists) is listed
   * only by an ARN that is its id. Absent: any ARN ending in the id.
   */
  arnServices?: Readonly<Record<string, string>>;
  /** What the pass saw, after its steps. */
  observation: Observation;
  now: number;
}

/**
 * The forgotten resources, forgotten less than LISTED_HOLDS_FOR_MS ago, that the inventory lists (or that
 * no inventory could rule out) and that the observation did not find: neither in use, a duplicate nor
 * foreign for their key, nor tracked as an earlier one.
 */
export function missedButListed(input: MissedButListedInput): MissedButListed[] {
  const listed = input.inventory ? listedBy(input.inventory, input.arnServices) : undefined;
  const found: MissedButListed[] = [];
  for (const [key, pairs] of Object.entries(input.forgotten)) {
    const seen = seenIds(input.observation, key);
    for (const id of input.earlier?.[key] ?? []) seen.add(id);
    for (const pair of pairs) {
      if (!isYoung(pair, input.now) || seen.has(pair.id)) continue;
      if (listed && !listed(key, pair.id)) continue;
      found.push({ key, id: pair.id, forgottenAt: pair.at });
    }
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * Whether the inventory lists `id` of `key`: as its ARN, or at the end of an ARN of the key's service
 * (without `arnServices`, of any ARN).
 */
function listedBy(
  inventory: readonly string[],
  arnServices: MissedButListedInput['arnServices'],
): (key: string, id: string) => boolean {
  if (!arnServices) {
    const keys = inventoryKeys(inventory);
    return (_key, id) => keys.has(id);
  }
  return (key, id) => {
    const service = arnServices[key];
    return inventory.some(
      (arn) =>
        arn === id || (service !== undefined && arn.split(':')[2] === service && arn.endsWith(`/${id}`)),
    );
  };
}

/**
 * Whether a listing of the pair holds the stack: forgotten less than LISTED_HOLDS_FOR_MS ago, and not
 * deleted by the stack itself (it sent the delete: its listing is the index's lag behind that delete,
 * users report hours, not a resource a finder missed).
 */
function isYoung(pair: ForgottenResource, now: number): boolean {
  return pair.deleteSentAt === undefined && now - pair.at < LISTED_HOLDS_FOR_MS;
}

/** Whether any pair is young enough to be counted: only then is the inventory worth listing. */
export function anyYoungPair(
  forgotten: Readonly<Record<string, readonly ForgottenResource[]>>,
  now: number,
): boolean {
  return Object.values(forgotten).some((pairs) => pairs.some((pair) => isYoung(pair, now)));
}

/** How many the message names: the Fargate tier's VPC and everything in it, seven, all named. */
const NAMED_AT_MOST = 8;

/** Why the stack is not settled, in words, for its Ready condition. */
export function missedButListedMessage(missed: readonly MissedButListed[], listed: boolean): string {
  const named = missed
    .slice(0, NAMED_AT_MOST)
    .map((m) => `${m.key} (${m.id})`)
    .join(', ');
  const more = missed.length > NAMED_AT_MOST ? ` and ${missed.length - NAMED_AT_MOST} more` : '';
  const why = listed
    ? 'the Resource Groups Tagging API still lists'
    : 'the Resource Groups Tagging API could not be asked whether it still lists';
  return (
    `${named}${more}: forgotten after no finder showed ${missed.length === 1 ? 'it' : 'them'} for the ` +
    `not-found window, and ${why} ${missed.length === 1 ? 'it' : 'them'} with the stack's tag; read again ` +
    `before the stack is called settled (deleted once found again and proven the stack's)`
  );
}

/** The ids an observation shows for `key`: in use, duplicates, foreign. */
function seenIds(observation: Observation, key: string): Set<string> {
  const ids = new Set<string>();
  const resource = observation.resources[key];
  if (resource) {
    ids.add(resource.id);
    if (resource.arn) ids.add(resource.arn);
  }
  for (const part of [observation.duplicates?.[key], observation.foreign?.[key]]) {
    for (const other of part ?? []) {
      ids.add(other.id);
      if (other.arn) ids.add(other.arn);
    }
  }
  return ids;
}
