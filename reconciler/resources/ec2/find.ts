/**
 * Finding a stack's EC2 resources by their ownership tags (docs/design.md, safety rule 3; code rule 3 "not-found is a
 * value"). EC2 has no names for VPCs, subnets, gateways, route tables and security groups that we could
 * look up instead, and Create* calls there take no client token, so the ownership tags are the only
 * identity: every find goes through here.
 */
import type { Filter, Tag } from '@aws-sdk/client-ec2';
import { isOwnedBy, TAG_COMPONENT, TAG_STACK } from '../../../spec';
import { orUndefinedIfGone } from '../common/not-found';
import type { ErrorCodes, ObservedResource, ResourceContext } from '../types';

/** The `isRecorded` option of findOwned for one key, from the engine's ownership records. */
export function recordedIn(
  ctx: ResourceContext,
  key: string,
): ((id: string, tags: Record<string, string>) => boolean) | undefined {
  const ownership = ctx.ownership;
  return ownership && ((id, tags) => ownership.isRecorded(key, id, tags));
}

/** The Describe* filters that select one component of one stack. */
export function ownershipFilters(stack: string, component: string): Filter[] {
  return [
    { Name: `tag:${TAG_STACK}`, Values: [stack] },
    { Name: `tag:${TAG_COMPONENT}`, Values: [component] },
  ];
}

/** EC2's `[{ Key, Value }]` tag list as a plain record (entries without a key are dropped). */
export function tagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  }
  return record;
}

export interface Page<T> {
  items?: T[];
  nextToken?: string;
}

/** Every item of a paged Describe* call, following NextToken until AWS stops handing one out. */
export async function collectPages<T>(fetchPage: (nextToken?: string) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    all.push(...(page.items ?? []));
    token = page.nextToken || undefined;
  } while (token);
  return all;
}

export interface TaggedItem<T> {
  item: T;
  id: string;
  tags: Record<string, string>;
}

export interface OwnedMatch<T> extends TaggedItem<T> {
  /** Ids of the other resources carrying the same ownership tags (see `others`). */
  duplicates: string[];
  /**
   * The other resources carrying the same ownership tags: a create whose answer was lost, or a copy of
   * our tags. The engine proves each one the stack's (then deletes it) or foreign (then reports it).
   */
  others: TaggedItem<T>[];
}

export interface FindOwnedOptions<T> {
  stack: string;
  component: string;
  errors: ErrorCodes;
  /** One Describe* page for these filters. */
  describePage: (filters: Filter[], nextToken?: string) => Promise<Page<T>>;
  idOf: (item: T) => string | undefined;
  tagsOf: (item: T) => readonly Tag[] | undefined;
  /** Whether the stack recorded this resource (ResourceContext.ownership): recorded ones come first. */
  isRecorded?: (id: string, tags: Record<string, string>) => boolean;
}

/**
 * The one resource of this stack's component, or undefined. The tag filter already selects the stack;
 * `isOwnedBy` also insists on `lambdaflex:managed-by`, so a resource someone merely labelled with our stack
 * name is left alone. With several matches, the one the stack recorded wins, then the lowest id, so that
 * every pass picks the same one; the others are reported for the engine to judge.
 */
export async function findOwned<T>(options: FindOwnedOptions<T>): Promise<OwnedMatch<T> | undefined> {
  const filters = ownershipFilters(options.stack, options.component);
  const items = await orUndefinedIfGone(
    () => collectPages((token) => options.describePage(filters, token)),
    options.errors,
  );
  const owned = (items ?? [])
    .map((item) => ({ item, id: options.idOf(item), tags: tagRecord(options.tagsOf(item)) }))
    .filter((match): match is { item: T; id: string; tags: Record<string, string> } => !!match.id)
    .filter((match) => isOwnedBy(match.tags, options.stack))
    .map((match) => ({ ...match, recorded: options.isRecorded?.(match.id, match.tags) ?? false }))
    .sort((a, b) => Number(b.recorded) - Number(a.recorded) || a.id.localeCompare(b.id))
    .map(({ recorded: _recorded, ...match }) => match);
  if (owned.length === 0) return undefined;
  const [first, ...rest] = owned;
  return { ...first, duplicates: rest.map((match) => match.id), others: rest };
}

/** How one EC2 Describe* call pages and where its items keep their id and tags. */
export type Ec2Describe<T> = Pick<FindOwnedOptions<T>, 'describePage' | 'idOf' | 'tagsOf'>;

/**
 * The stack's resource for `key` as the engine observes it, the other tagged copies as its `duplicates`
 * (for the engine to judge), or undefined: findOwned for this context, each match read by `observe`.
 */
export async function findObserved<T, E = unknown>(
  ctx: ResourceContext,
  key: string,
  errors: ErrorCodes,
  describe: Ec2Describe<T>,
  observe: (match: TaggedItem<T>) => ObservedResource<E>,
): Promise<ObservedResource<E> | undefined> {
  const match = await findOwned<T>({
    ...describe,
    stack: ctx.spec.stack,
    component: key,
    errors,
    isRecorded: recordedIn(ctx, key),
  });
  if (!match) return undefined;
  const found = observe(match);
  return match.others.length === 0 ? found : { ...found, duplicates: match.others.map(observe) };
}
