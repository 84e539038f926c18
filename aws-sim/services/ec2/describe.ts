/**
 * The one Describe* engine every EC2 resource uses: ids (unknown → the kind's NotFound), Filters (an
 * unknown filter name → InvalidParameterValue, as AWS answers), eventual consistency, and pagination.
 */
import { InvalidTokenError, paginate } from '../../core/pagination';
import { wildcardRegExp, type TagMap } from '../../core/tags';
import { derivedIndex, groupBy, type DerivedIndex } from '../../core/derived';
import { fullBucket, takeToken, type TokenBucketSize } from '../../../util/token-bucket';
import type { Ec2Context } from './context';
import { checkIdFormat, type Ec2Kind } from './kinds';

export interface Filter {
  Name?: string;
  Values?: string[];
}

export interface DescribeRequest {
  ids?: string[];
  /** The request member holding the ids, for the InvalidParameterCombination message. */
  idsMember: string;
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
}

/** The members every Describe* request shares, and its own ids member. */
export function describeRequest(
  input: { Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ids: string[] | undefined,
  idsMember: string,
): DescribeRequest {
  return { ids, idsMember, Filters: input.Filters, MaxResults: input.MaxResults, NextToken: input.NextToken };
}

export interface Describable {
  createdAt: number;
  tags: TagMap;
}

/** A record's values for one filter name. */
export type FilterValue<R> = (record: R, ctx: Ec2Context) => string | string[] | undefined;

/** What a kind's Describe* call needs besides the records; one constant per kind, built once. */
export interface DescribeSource<R extends Describable> {
  kind: Ec2Kind;
  /** Values of the filters this kind supports (besides `tag:<key>` and `tag-key`), by filter name. */
  filters: Record<string, FilterValue<R>>;
  /**
   * The records by VPC, for kinds whose VPC never changes: a `vpc-id` filter (the reconciler's usual
   * one) then looks at one VPC's records instead of every record of the kind.
   */
  byVpc?: DerivedIndex<Record<string, R>, Map<string, R[]>>;
  /** Page size bounds of this operation (AWS: 5–1000 for most). */
  minResults?: number;
  maxResults?: number;
}

/** The `byVpc` index of a kind; whatever adds or deletes its records calls `invalidate`. */
export function recordsByVpc<R extends { vpcId: string }>(): DerivedIndex<
  Record<string, R>,
  Map<string, R[]>
> {
  return derivedIndex((records) => groupBy(Object.values(records), (record) => [record.vpcId]));
}

export function describeRecords<R extends Describable>(
  request: DescribeRequest,
  records: Record<string, R>,
  source: DescribeSource<R>,
  ctx: Ec2Context,
): { items: R[]; nextToken?: string } {
  const { ids, Filters, MaxResults, NextToken } = request;
  checkFilterNames(Filters, source.filters, ctx);
  if (MaxResults !== undefined) {
    if (ids && ids.length > 0) {
      ctx.fail(
        'InvalidParameterCombination',
        `The parameter ${request.idsMember} cannot be used with the parameter maxResults`,
      );
    }
    const min = source.minResults ?? 5;
    const max = source.maxResults ?? 1000;
    if (!Number.isInteger(MaxResults) || MaxResults < min || MaxResults > max) {
      ctx.fail(
        'InvalidParameterValue',
        `Value ( ${MaxResults} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
      );
    }
  }

  const visible = (record: R | undefined): record is R =>
    record !== undefined && ctx.account.isVisible(record.createdAt);
  let candidates: R[];
  if (ids && ids.length > 0) {
    const missing = ids.filter((id) => !visible(records[checkIdFormat(source.kind, id, ctx)]));
    if (missing.length > 0) {
      const message =
        missing.length === 1
          ? source.kind.notFoundMessage(missing[0])
          : `The ${source.kind.name} IDs '${missing.join(', ')}' do not exist`;
      ctx.fail(source.kind.notFoundCode, message);
    }
    candidates = [...new Set(ids)].map((id) => records[id]);
  } else {
    candidates = (oneVpcRecords(records, source, Filters) ?? Object.values(records)).filter(visible);
  }

  const matchers = compileFilters(Filters, source.filters, ctx);
  const matching =
    matchers.length > 0
      ? candidates.filter((record) => matchers.every((matches) => matches(record)))
      : candidates;
  try {
    const page = paginate(matching, NextToken, MaxResults, MaxResults ?? Number.MAX_SAFE_INTEGER);
    return { items: page.items, nextToken: page.nextToken };
  } catch (error) {
    if (error instanceof InvalidTokenError) ctx.fail('InvalidPaginationToken', error.message);
    throw error;
  }
}

/**
 * With a `vpc-id` filter naming one VPC exactly, that VPC's records from the index, in the order a scan
 * would find them (the filters still run on them); otherwise undefined, and every record is scanned.
 */
function oneVpcRecords<R extends Describable>(
  records: Record<string, R>,
  source: DescribeSource<R>,
  filters: Filter[] | undefined,
): R[] | undefined {
  if (!source.byVpc) return undefined;
  const vpcFilter = filters?.find((filter) => filter.Name === 'vpc-id');
  const values = vpcFilter?.Values ? new Set(vpcFilter.Values) : undefined;
  if (values?.size !== 1) return undefined;
  const [vpcId] = values;
  if (/[*?]/.test(vpcId)) return undefined;
  return source.byVpc.get(records).get(vpcId) ?? [];
}

type Matcher<R> = (record: R) => boolean;

/**
 * Each filter once per call into a predicate (an equality or Set look-up unless a value has `*` or `?`
 * wildcards), so the per-record work is kept small. A record matches a filter when any of its values
 * matches any of the filter's values; all filters must match.
 */
function compileFilters<R extends Describable>(
  filters: Filter[] | undefined,
  fields: Record<string, FilterValue<R>>,
  ctx: Ec2Context,
): Matcher<R>[] {
  const matchers: Matcher<R>[] = [];
  for (const { Name, Values } of filters ?? []) {
    if (!Name || !Values) continue;
    const accepts = valueTest(Values);
    if (Name.startsWith('tag:')) {
      const key = Name.slice(4);
      matchers.push((record) => {
        const value = record.tags[key];
        return value !== undefined && accepts(value);
      });
    } else if (Name === 'tag-key') {
      matchers.push((record) => Object.keys(record.tags).some(accepts));
    } else {
      const valueOf = fields[Name];
      matchers.push((record) => {
        const actual = valueOf(record, ctx);
        if (actual === undefined) return false;
        return Array.isArray(actual) ? actual.some(accepts) : accepts(actual);
      });
    }
  }
  return matchers;
}

const WILDCARD = /[*?]/;

function valueTest(values: string[]): (value: string) => boolean {
  const patterns = values.filter((v) => WILDCARD.test(v)).map(wildcardRegExp);
  const exact = values.filter((v) => !WILDCARD.test(v));
  if (patterns.length === 0 && exact.length === 1) {
    const only = exact[0];
    return (value) => value === only;
  }
  const exactSet = new Set(exact);
  return (value) => exactSet.has(value) || patterns.some((pattern) => pattern.test(value));
}

function checkFilterNames(
  filters: Filter[] | undefined,
  known: Record<string, unknown>,
  ctx: Ec2Context,
): void {
  for (const { Name } of filters ?? []) {
    if (!Name) ctx.fail('InvalidParameterValue', 'The filter name must not be empty');
    if (Name.startsWith('tag:') || Name === 'tag-key' || Name in known) continue;
    ctx.fail('InvalidParameterValue', `The filter '${Name}' is invalid`);
  }
}

/**
 * AWS throttles unfiltered, unpaginated DescribeNetworkInterfaces/DescribeSecurityGroups in a smaller
 * bucket (docs/aws-facts.md, "Request throttling for the Amazon EC2 API"). The core picks one bucket per
 * operation, so this second bucket, which depends on the input, is taken here.
 */
export function takeUnfilteredToken(
  request: DescribeRequest,
  bucketSpec: TokenBucketSize,
  ctx: Ec2Context,
): void {
  const unfiltered =
    !(request.ids && request.ids.length > 0) &&
    !(request.Filters && request.Filters.length > 0) &&
    request.MaxResults === undefined &&
    request.NextToken === undefined;
  if (!unfiltered) return;
  const bucket = (ctx.state.unfilteredBucket ??= fullBucket(bucketSpec, ctx.now));
  if (takeToken(bucket, bucketSpec, ctx.now) > 0) {
    ctx.fail('RequestLimitExceeded', 'Request limit exceeded.');
  }
}

export function boolText(value: boolean): string {
  return value ? 'true' : 'false';
}
