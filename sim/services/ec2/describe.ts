/**
 * The one Describe* engine every EC2 resource uses: ids (unknown → the kind's NotFound), Filters (an
 * unknown filter name → InvalidParameterValue, as AWS answers), eventual consistency, and pagination.
 */
import { InvalidTokenError, paginate } from '../../core/pagination';
import type { TagMap } from '../../core/tags';
import { fullBucket, takeToken } from '../../core/rate-limits';
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

export interface Describable {
  createdAt: number;
  tags: TagMap;
}

export interface DescribeSource<R extends Describable> {
  kind: Ec2Kind;
  records: Record<string, R>;
  /** Values of the filters this kind supports (besides `tag:<key>` and `tag-key`), by filter name. */
  filters: Record<string, (record: R) => string | string[] | undefined>;
  /** Page size bounds of this operation (AWS: 5–1000 for most). */
  minResults?: number;
  maxResults?: number;
}

export function describeRecords<R extends Describable>(
  request: DescribeRequest,
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
    const missing = ids.filter((id) => !visible(source.records[checkIdFormat(source.kind, id, ctx)]));
    if (missing.length > 0) {
      const message =
        missing.length === 1
          ? source.kind.notFoundMessage(missing[0])
          : `The ${source.kind.name} IDs '${missing.join(', ')}' do not exist`;
      ctx.fail(source.kind.notFoundCode, message);
    }
    candidates = [...new Set(ids)].map((id) => source.records[id]);
  } else {
    candidates = Object.values(source.records).filter(visible);
  }

  const matchers = compileFilters(Filters, source.filters);
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

type ValueOf<R> = (record: R) => string | string[] | undefined;

/**
 * Each filter once per call into a predicate (a Set look-up unless a value has `*` or `?` wildcards):
 * Describe calls scan every record of a kind, so the per-record work is kept small. A record matches a
 * filter when any of its values matches any of the filter's values; all filters must match.
 */
function compileFilters<R extends Describable>(
  filters: Filter[] | undefined,
  fields: Record<string, ValueOf<R>>,
): ((record: R) => boolean)[] {
  return (filters ?? []).flatMap(({ Name, Values }) => {
    if (!Name || !Values) return [];
    const valueOf: ValueOf<R> = Name.startsWith('tag:')
      ? (record) => record.tags[Name.slice(4)]
      : Name === 'tag-key'
        ? (record) => Object.keys(record.tags)
        : fields[Name];
    const accepts = valueTest(Values);
    return [
      (record: R) => {
        const actual = valueOf(record);
        if (actual === undefined) return false;
        return Array.isArray(actual) ? actual.some(accepts) : accepts(actual);
      },
    ];
  });
}

function valueTest(values: string[]): (value: string) => boolean {
  const exact = new Set(values.filter((v) => !/[*?]/.test(v)));
  const patterns = values
    .filter((v) => /[*?]/.test(v))
    .map(
      (v) =>
        new RegExp(
          '^' +
            v
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '.*')
              .replace(/\?/g, '.') +
            '$',
        ),
    );
  return (value) => exact.has(value) || patterns.some((pattern) => pattern.test(value));
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
 * bucket (AWS-FACTS.md, "Request throttling for the Amazon EC2 API"). The core picks one bucket per
 * operation, so this second bucket, which depends on the input, is taken here.
 */
export function takeUnfilteredToken(
  request: DescribeRequest,
  bucketSpec: { capacity: number; refillPerSecond: number },
  ctx: Ec2Context,
): void {
  const unfiltered =
    !(request.ids && request.ids.length > 0) &&
    !(request.Filters && request.Filters.length > 0) &&
    request.MaxResults === undefined &&
    request.NextToken === undefined;
  if (!unfiltered) return;
  const bucket = (ctx.state.unfilteredBucket ??= fullBucket(bucketSpec, ctx.now));
  if (!takeToken(bucketSpec, bucket, ctx.now)) {
    ctx.fail('RequestLimitExceeded', 'Request limit exceeded.');
  }
}

export function boolText(value: boolean): string {
  return value ? 'true' : 'false';
}
