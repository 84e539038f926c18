/**
 * Simulated Resource Groups Tagging API: GetResources over every simulated service's tagged resources
 * that have an ARN, filtered by tag and by resource type (`service` or `service:type`, as in `ec2:vpc`),
 * as its index holds them: behind the services, both after a delete and after a create or a tag change
 * (tagging-index.ts).
 */
import type { SimAccount } from '../core/account';
import { paginate } from '../core/pagination';
import type { InventoryItem, SimService } from '../core/service';
import { toKeyValueList } from '../core/tags';
import {
  byArn,
  indexed,
  lagOf,
  lagging,
  noteChange,
  refreshIndex,
  resetIndex,
  type Listable,
  type TaggingIndexLag,
  type TaggingState,
} from './tagging-index';

export { DEFAULT_TAGGING_INDEX_LAG, type TaggingIndexLag } from './tagging-index';
export type { TaggingState } from './tagging-index';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

/** `arn:aws:ec2:us-east-1:123:vpc/vpc-1` → `ec2:vpc`; `arn:aws:apigateway:us-east-1::/apis/abc` → `apigateway:apis`. */
export function resourceTypeOfArn(arn: string): string {
  const parts = arn.split(':');
  const service = parts[2] ?? '';
  const resource = parts.slice(5).join(':').replace(/^\//, '');
  return `${service}:${resource.split(/[/:]/)[0] ?? ''}`;
}

function matchesType(arn: string, filters: string[] | undefined): boolean {
  if (!filters || filters.length === 0) return true;
  const type = resourceTypeOfArn(arn);
  return filters.some((f) => (f.includes(':') ? f === type : type.startsWith(`${f}:`)));
}

function matchesTags(
  item: InventoryItem,
  filters: { Key?: string; Values?: string[] }[] | undefined,
): boolean {
  // Filters are ANDed; the values of one filter are ORed; a filter without values asks for the key only.
  return (filters ?? []).every(({ Key, Values }) => {
    if (Key === undefined || !(Key in item.tags)) return false;
    return !Values || Values.length === 0 || Values.includes(item.tags[Key]!);
  });
}

/**
 * GetResources "does not currently support IAM users and roles" (Resource Groups Tagging API reference,
 * "Services that support the Resource Groups Tagging API"): they are tagged, but never listed.
 */
function listable(arn: string): boolean {
  return !/^arn:[^:]+:iam:/.test(arn);
}

/**
 * The account's tagged resources with an ARN that pass `keep`, sorted by ARN (this service's own
 * inventory is empty). `keep` runs first, on the cheap tag look-ups, so that a stack's query does not
 * work out the type of every resource in an account of a hundred stacks.
 */
function taggedResources(account: SimAccount, keep: (item: Listable) => boolean = () => true): Listable[] {
  return account
    .inventory()
    .filter(
      (item): item is Listable =>
        item.arn !== undefined &&
        keep(item as Listable) &&
        Object.keys(item.tags).length > 0 &&
        listable(item.arn),
    )
    .sort(byArn);
}

/**
 * What the index lists that passes `keep`, sorted by ARN. Without lag, the account as it is (`keep` first,
 * as above); with it, the index learns from every listable resource, and `keep` judges the tags it shows.
 */
function listedResources(
  state: TaggingState,
  account: SimAccount,
  keep: (item: Listable) => boolean = () => true,
): Listable[] {
  if (!lagging(lagOf(state))) return taggedResources(account, keep);
  return indexed(state, account, taggedResources(account)).filter(keep);
}

/**
 * Sets how far the account's Tagging API index lags behind the services (tagging-index.ts), each in
 * milliseconds (≥ 0), the defaults (DEFAULT_TAGGING_INDEX_LAG) for those not given; 0 and 0: no lag, every
 * listing is the account as it is (as an account starts). A value that is not a duration is refused and
 * nothing is changed. What the account holds now is listed at once.
 *
 * @example
 *   setTaggingIndexLag(account); // listed 20 minutes after a delete, from a minute after a create
 *   setTaggingIndexLag(account, { afterDeleteMs: 0, afterChangeMs: 0 }); // the account as it is
 */
export function setTaggingIndexLag(account: SimAccount, settings: Partial<TaggingIndexLag> = {}): void {
  resetIndex(account.stateOf<TaggingState>('tagging'), settings, taggedResources(account));
}

export const taggingService: SimService<TaggingState> = {
  name: 'tagging',
  validationErrorCode: 'InvalidParameterException',
  throttlingErrorCode: 'ThrottledException',
  buckets: {},
  operations: {
    GetResources: {
      mutating: false,
      handle: (input, ctx) => {
        const perPage =
          input.ResourcesPerPage === undefined ? DEFAULT_PAGE_SIZE : Number(input.ResourcesPerPage);
        if (!(perPage >= 1 && perPage <= MAX_PAGE_SIZE)) {
          ctx.fail('InvalidParameterException', `ResourcesPerPage must be between 1 and ${MAX_PAGE_SIZE}`);
        }
        const arns: string[] | undefined = input.ResourceARNList;
        const matching = listedResources(
          ctx.state,
          ctx.account,
          (item) =>
            matchesTags(item, input.TagFilters) &&
            (!arns || arns.includes(item.arn)) &&
            matchesType(item.arn, input.ResourceTypeFilters),
        );
        const page = paginate(matching, input.PaginationToken || undefined, perPage);
        return {
          ResourceTagMappingList: page.items.map((item) => ({
            ResourceARN: item.arn,
            Tags: toKeyValueList(item.tags),
          })),
          // AWS answers an empty token on the last page; the SDK's paginator stops on it.
          PaginationToken: page.nextToken ?? '',
        };
      },
    },
    GetTagKeys: {
      mutating: false,
      handle: (_input, ctx) => ({
        TagKeys: [
          ...new Set(listedResources(ctx.state, ctx.account).flatMap((item) => Object.keys(item.tags))),
        ].sort(),
        PaginationToken: '',
      }),
    },
  },
  initialState: () => ({}),
  afterChange: (state, account) => noteChange(state, account),
  refresh: (state, account) => refreshIndex(state, () => taggedResources(account)),
};
