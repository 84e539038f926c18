/**
 * The Resource Groups Tagging API's own index of the account's tagged resources, fed asynchronously by the
 * services: what `GetResources` answers from. It lags behind them both ways (docs/aws-facts.md, "Resource
 * Groups Tagging API index"):
 *
 * - a deleted resource stays listed, with the tags it had, for `afterDeleteMs` ("Returns all the tagged or
 *   previously tagged resources", GetResources API reference; users report deleted instances, volumes,
 *   hosted zones and ELB listeners still listed 20 minutes to hours later);
 * - a new resource, or new tags on one, shows only `afterChangeMs` after the change (AWS gives no figure;
 *   tools that create then list at once find nothing yet).
 *
 * The index keeps, for each ARN, the versions of its tags it was told of (`null`: gone, or no tags left),
 * each with when it happened, and answers the newest version old enough to be shown. It learns of changes
 * by comparing the account's inventory with what it last saw: after any change (a mutating call took effect)
 * before the clock moves on, and at every listing. A change is dated when its call was made, so the lag is
 * counted from there; one made by time alone (a service turning INACTIVE) is dated when it was noticed.
 *
 * With both lags 0 the index is bypassed: every listing is the account as it is.
 */
import type { SimAccount } from '../core/account';
import type { InventoryItem } from '../core/service';
import type { TagMap } from '../core/tags';

/**
 * How far the index lags, per account (setTaggingIndexLag). An account starts without lag (the scenarios
 * written before it was modelled assume none); `setTaggingIndexLag(account)` turns on the defaults below,
 * from what users report (AWS gives no figure for either):
 *
 * - 20 minutes after a delete: the shortest report with a figure (a deleted volume still listed after
 *   20 minutes); others saw instances listed for hours, and AWS calls it rare for the services onboarded
 *   to its tag management (docs/aws-facts.md has the reports). Long enough that a stack's passes, a
 *   minute apart, see a resource they deleted listed for twenty of them, and longer than the stack's
 *   periodic full observation (15 minutes).
 * - 60 seconds after a create or a tag change: no figure anywhere; a minute, so that the pass that made a
 *   resource and the next one (a minute later, or at once after a crash) do not see it listed.
 */
export interface TaggingIndexLag {
  afterDeleteMs: number;
  afterChangeMs: number;
}

export const DEFAULT_TAGGING_INDEX_LAG: TaggingIndexLag = {
  afterDeleteMs: 20 * 60_000,
  afterChangeMs: 60_000,
};

const NO_LAG: TaggingIndexLag = { afterDeleteMs: 0, afterChangeMs: 0 };

/** One state of an ARN's tags as the services hold it, from `at` (epoch ms); `null`: not listable any more. */
interface Version {
  tags: TagMap | null;
  at: number;
}

export interface TaggingState {
  /** Absent: no lag (an account starts so, and accounts saved before the lag was modelled). */
  lag?: TaggingIndexLag;
  /** By ARN, the versions the index was told of, oldest first; the last is the services' current one. */
  index?: Record<string, Version[]>;
  /** When the first change since the index last looked was made (a mutating call), if any. */
  changedAt?: number;
}

export function lagOf(state: TaggingState): TaggingIndexLag {
  return state.lag ?? NO_LAG;
}

/**
 * Makes `lag` the index's (validated first: a value that is not a duration is refused, nothing changed),
 * starting again from `items`, the account's listable resources, listed at once: they were there before.
 */
export function resetIndex(
  state: TaggingState,
  lag: Partial<TaggingIndexLag>,
  items: readonly Listable[],
): void {
  for (const field of ['afterDeleteMs', 'afterChangeMs'] as const) {
    const ms = lag[field];
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
      throw new Error(
        `Tagging API setting ${field}: must be a number of milliseconds ≥ 0, got ${String(ms)}`,
      );
    }
  }
  state.lag = { ...DEFAULT_TAGGING_INDEX_LAG, ...lag };
  delete state.changedAt;
  state.index = {};
  // Dated at the epoch (JSON keeps no -Infinity): shown whatever the lag.
  if (lagging(state.lag)) learn(state, currentOf(items), 0);
}

export function lagging(lag: TaggingIndexLag): boolean {
  return lag.afterDeleteMs > 0 || lag.afterChangeMs > 0;
}

/** An inventory item the index can list: it has an ARN and tags. */
export type Listable = InventoryItem & { arn: string };

/** The order GetResources lists in, with or without the index: by ARN. */
export function byArn(a: Listable, b: Listable): number {
  return a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0;
}

function sameTags(a: TagMap, b: TagMap): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/** Tells the index what the services hold now (`current`, by ARN), each change dated `at`. */
function learn(state: TaggingState, current: ReadonlyMap<string, TagMap>, at: number): void {
  const index = (state.index ??= {});
  for (const [arn, tags] of current) {
    const versions = (index[arn] ??= []);
    const last = versions.at(-1);
    if (!last || last.tags === null || !sameTags(last.tags, tags)) versions.push({ tags: { ...tags }, at });
  }
  for (const [arn, versions] of Object.entries(index)) {
    if (!current.has(arn) && versions.at(-1)?.tags !== null) versions.push({ tags: null, at });
  }
}

/** When `version` shows in the index. */
function shownFrom(version: Version, lag: TaggingIndexLag): number {
  return version.at + (version.tags === null ? lag.afterDeleteMs : lag.afterChangeMs);
}

/**
 * The tags the index lists `arn` with at `now`, or undefined when it does not list it; the versions
 * older than the one shown are dropped, and an ARN whose removal shows is forgotten.
 */
function shown(state: TaggingState, arn: string, lag: TaggingIndexLag, now: number): TagMap | undefined {
  const versions = state.index![arn]!;
  for (let i = versions.length - 1; i >= 0; i--) {
    const version = versions[i]!;
    if (shownFrom(version, lag) > now) continue;
    if (i > 0) versions.splice(0, i);
    if (version.tags === null && versions.length === 1) delete state.index![arn];
    return version.tags ?? undefined;
  }
  return undefined;
}

/** The account's listable resources as the services hold them now, by ARN. */
function currentOf(items: readonly Listable[]): Map<string, TagMap> {
  return new Map(items.map((item) => [item.arn, item.tags]));
}

/**
 * After a change took effect: noted, and looked at before the clock moves on (`refreshIndex`), so that it
 * is dated when it was made.
 */
export function noteChange(state: TaggingState, account: SimAccount): void {
  if (!lagging(lagOf(state))) return;
  state.changedAt ??= account.now();
}

/** Called as the clock moves: the changes noted since the index last looked are learnt, dated when made. */
export function refreshIndex(state: TaggingState, items: () => Listable[]): void {
  if (state.changedAt === undefined) return;
  const at = state.changedAt;
  delete state.changedAt;
  if (!lagging(lagOf(state))) return;
  learn(state, currentOf(items()), at);
}

/**
 * What the index lists now: each listable resource with the tags the index shows for it, sorted by ARN.
 * `items` are the account's listable resources as the services hold them.
 */
export function indexed(state: TaggingState, account: SimAccount, items: Listable[]): Listable[] {
  const lag = lagOf(state);
  if (!lagging(lag)) return items;
  const now = account.now();
  // Changes not noted (made by time alone) are dated now: the index may only be later, never sooner.
  learn(state, currentOf(items), state.changedAt ?? now);
  delete state.changedAt;
  const known = new Map(items.map((item) => [item.arn, item]));
  const listed: Listable[] = [];
  for (const arn of Object.keys(state.index ?? {})) {
    const tags = shown(state, arn, lag, now);
    if (!tags) continue;
    const item = known.get(arn);
    // A deleted resource is listed as the index last saw it: its ARN and its last tags.
    listed.push(item ? { ...item, tags } : { type: 'unknown', id: arn, arn, tags });
  }
  return listed.sort(byArn);
}
