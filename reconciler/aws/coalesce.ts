/**
 * Reads that AWS answers for many resources in one call, gathered while they wait for their budget's
 * token (aws/rate-budget.ts): the stacks of a worker's batch each describe their own ALB, target group and
 * listener by name or ARN, one resource a call, and when the account's ELBv2 budget is the bottleneck (a
 * fleet switching tiers at once) those calls queue behind each other. A call that waits for a token takes
 * the ones that came while it waited along (up to what AWS takes in one call), and each caller gets its
 * own part of the answer. A call that finds a token at once goes alone, so nothing waits for company.
 *
 * AWS fails the whole call when one of the resources named does not exist (`LoadBalancerNotFound`, …):
 * then each caller asks again alone, so that "not found" is the answer of the one whose resource is gone.
 */

import { TAG_STACK } from '../../spec/names';
import { classify } from './classify';

/**
 * A read that takes a list of names or ARNs, and how to cut its answer per caller; or (`same`) a read of
 * one resource that several callers make alike (both listener kinds of a stack list the same ALB's
 * listeners): those waiting at once share one call and its answer, errors included.
 */
export interface CoalescableRead {
  /** The input field holding the list (with `same`, the one value that must be equal). */
  field: string;
  /** Only calls with the same value of `field` are gathered, and each gets the whole answer. */
  same?: boolean;
  /** The most AWS takes in one call (ValidationError beyond). */
  max: number;
  /** Whether this call may join others: the list is its only filter (no marker, no other field). */
  accepts(input: Record<string, unknown>): boolean;
  /** The caller's part of the merged answer: what it would have got asking for `values` alone. */
  part(output: Record<string, unknown>, values: readonly string[]): Record<string, unknown>;
  /** Error codes meaning that one of the resources named does not exist. */
  notFound: readonly string[];
  /**
   * For a read whose values sit elsewhere than a plain list field (an EC2 filter's values): the caller's
   * values, what else its input says (only calls saying the same are gathered), and the input asking for
   * `values`.
   */
  values?: {
    of(input: Record<string, unknown>): string[];
    rest(input: Record<string, unknown>): string;
    into(input: Record<string, unknown>, values: readonly string[]): Record<string, unknown>;
  };
  /** Whether a merged answer holds everything asked (not one page of more): if not, each asks alone. */
  complete?(output: Record<string, unknown>): boolean;
}

/** Whether `input` says nothing but `field` (no marker, no other filter), and that as `isValue` wants. */
const onlyField =
  (field: string, isValue: (value: unknown) => boolean) =>
  (input: Record<string, unknown>): boolean =>
    Object.keys(input).every((key) => key === field || input[key] === undefined) && isValue(input[field]);

const nonEmptyList = (value: unknown) => Array.isArray(value) && value.length > 0;

/**
 * A read of up to 20 resources listed in `field`, whose answer lists them under `items`, each naming
 * itself in `key`: a caller's part is the items it named.
 */
const byList = (field: string, items: string, key: string, notFound: readonly string[]): CoalescableRead => ({
  field,
  max: 20,
  accepts: onlyField(field, nonEmptyList),
  part: (output, values) => ({
    ...output,
    [items]: ((output[items] ?? []) as Record<string, unknown>[]).filter((item) =>
      values.includes((item[key] as string | undefined) ?? ''),
    ),
  }),
  notFound,
});

/** A read of one resource by `field` alone (no marker, no other filter): alike callers share it. */
const sameRead = (field: string, notFound: readonly string[]): CoalescableRead => ({
  field,
  same: true,
  max: 1,
  accepts: onlyField(field, (value) => typeof value === 'string'),
  part: (output) => output,
  notFound,
});

interface Ec2Filter {
  Name?: string;
  Values?: string[];
}

/**
 * An EC2 describe by the ownership tags (resources/ec2/find.ts): the stacks of a worker's batch each find
 * their own VPC, subnets, groups, … with the same filters but their own stack's name. Gathered, one call
 * asks for all their stacks at once (a filter takes many values: any matches), and each caller gets the
 * items tagged with its stack. An answer with a next page is not cut: each asks alone.
 */
function ec2ByStackTag(itemsField: string): CoalescableRead {
  const stackFilter = `tag:${TAG_STACK}`;
  const filtersOf = (input: Record<string, unknown>) => (input.Filters ?? []) as Ec2Filter[];
  return {
    field: 'Filters',
    // "Up to 200 values" for a filter in EC2's API reference; 20 keeps the answer to one page.
    max: 20,
    accepts: onlyField(
      'Filters',
      (filters) => ((filters ?? []) as Ec2Filter[]).filter((f) => f.Name === stackFilter).length === 1,
    ),
    values: {
      of: (input) => [...(filtersOf(input).find((f) => f.Name === stackFilter)?.Values ?? [])],
      rest: (input) =>
        JSON.stringify(
          filtersOf(input)
            .filter((f) => f.Name !== stackFilter)
            .map((f) => [f.Name, [...(f.Values ?? [])].sort()])
            .sort(),
        ),
      into: (input, values) => ({
        ...input,
        Filters: filtersOf(input).map((f) => (f.Name === stackFilter ? { ...f, Values: [...values] } : f)),
      }),
    },
    part: (output, stacks) => ({
      ...output,
      [itemsField]: ((output[itemsField] ?? []) as { Tags?: { Key?: string; Value?: string }[] }[]).filter(
        (item) => stacks.includes(item.Tags?.find((t) => t.Key === TAG_STACK)?.Value ?? ''),
      ),
    }),
    complete: (output) => !output.NextToken,
    notFound: [],
  };
}

/** The reads gathered, by `service:Operation`. */
export const COALESCABLE_READS: Record<string, CoalescableRead> = {
  // "You can specify up to 20 resources in a single call" (ELBv2 API reference, DescribeTags).
  'elbv2:DescribeTags': byList('ResourceArns', 'TagDescriptions', 'ResourceArn', [
    'LoadBalancerNotFound',
    'TargetGroupNotFound',
    'ListenerNotFound',
    'RuleNotFound',
  ]),
  // Names: at most 20 (ELBv2 API reference, DescribeLoadBalancers); a list of names is never paged.
  'elbv2:DescribeLoadBalancers': byList('Names', 'LoadBalancers', 'LoadBalancerName', [
    'LoadBalancerNotFound',
  ]),
  // Names: AWS documents no maximum (the answer pages at 400); 20, as ELBv2's other lists. Absent
  // groups fail the whole call (TargetGroupNotFound), and then each caller asks alone.
  'elbv2:DescribeTargetGroups': byList('Names', 'TargetGroups', 'TargetGroupName', ['TargetGroupNotFound']),
  'elbv2:DescribeListeners': sameRead('LoadBalancerArn', ['LoadBalancerNotFound']),
  'elbv2:DescribeTargetHealth': sameRead('TargetGroupArn', ['TargetGroupNotFound']),
  'ec2:DescribeVpcs': ec2ByStackTag('Vpcs'),
  'ec2:DescribeSubnets': ec2ByStackTag('Subnets'),
  'ec2:DescribeSecurityGroups': ec2ByStackTag('SecurityGroups'),
  'ec2:DescribeRouteTables': ec2ByStackTag('RouteTables'),
  'ec2:DescribeInternetGateways': ec2ByStackTag('InternetGateways'),
};

/**
 * The same reads by ARN (a step's dependency found again by its id alone, the resources' `findById`),
 * gathered among themselves, never with those by name.
 */
const COALESCABLE_READS_BY_ARN: Record<string, CoalescableRead> = {
  // LoadBalancerArns: at most 20 (ELBv2 API reference, DescribeLoadBalancers).
  'elbv2:DescribeLoadBalancers': byList('LoadBalancerArns', 'LoadBalancers', 'LoadBalancerArn', [
    'LoadBalancerNotFound',
  ]),
  // TargetGroupArns: no documented maximum; 20, as by name. A gone group fails the whole call.
  'elbv2:DescribeTargetGroups': byList('TargetGroupArns', 'TargetGroups', 'TargetGroupArn', [
    'TargetGroupNotFound',
  ]),
};

/** The gathered read that `input` of `service:Operation` is, if any. */
export function coalescableRead(
  operation: string,
  input: Record<string, unknown>,
): CoalescableRead | undefined {
  return [COALESCABLE_READS[operation], COALESCABLE_READS_BY_ARN[operation]].find((read) =>
    read?.accepts(input),
  );
}

type Next = (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>;

interface Member {
  args: { input: Record<string, unknown> };
  values: string[];
  next: Next;
  resolve: (answer: { output: Record<string, unknown> }) => void;
  reject: (error: unknown) => void;
}

interface Group {
  members: Member[];
  size: number;
}

/** Gathers the calls of one set of clients (one execution environment) that wait for the same token. */
export class ReadCoalescer {
  private readonly open = new Map<string, Group>();
  /** Calls made, and callers answered, by `service:Operation` (for tests and reports). */
  readonly merged: Record<string, { calls: number; callers: number }> = {};

  /**
   * Sends `args` through `next` once `take` gave a token, with the calls of the same read that came
   * meanwhile; the caller gets its own part of the answer.
   */
  run(
    operation: string,
    read: CoalescableRead,
    args: { input: Record<string, unknown> },
    next: Next,
    take: () => Promise<void>,
  ): Promise<{ output: Record<string, unknown> }> {
    const values = read.values
      ? read.values.of(args.input)
      : read.same
        ? [args.input[read.field] as string]
        : [...(args.input[read.field] as string[])];
    // Alike reads are gathered per resource; list reads per operation (and what else they ask).
    const groupKey = read.same
      ? `${operation}|${values[0]}`
      : read.values
        ? `${operation}|${read.values.rest(args.input)}`
        : `${operation}|${read.field}`;
    return new Promise((resolve, reject) => {
      const member: Member = { args, values, next, resolve, reject };
      const group = this.open.get(groupKey);
      const fresh = new Set(values);
      if (group && (read.same || group.size + fresh.size <= read.max)) {
        group.members.push(member);
        group.size += read.same ? 0 : fresh.size;
        return;
      }
      const mine: Group = { members: [member], size: fresh.size };
      this.open.set(groupKey, mine);
      void this.lead(operation, groupKey, read, mine, take);
    });
  }

  private async lead(
    operation: string,
    groupKey: string,
    read: CoalescableRead,
    group: Group,
    take: () => Promise<void>,
  ) {
    try {
      await take();
    } finally {
      // Whatever comes from now on waits for a token of its own.
      if (this.open.get(groupKey) === group) this.open.delete(groupKey);
    }
    const stats = (this.merged[operation] ??= { calls: 0, callers: 0 });
    stats.calls += 1;
    stats.callers += group.members.length;
    const [first, ...others] = group.members;
    if (others.length === 0) {
      first!.next(first!.args).then(first!.resolve, first!.reject);
      return;
    }
    if (read.same) {
      // The same question asked at the same moment: one answer, or one error, for all.
      first!.next(first!.args).then(
        (answer) => group.members.forEach((m) => m.resolve(answer)),
        (error: unknown) => group.members.forEach((m) => m.reject(error)),
      );
      return;
    }
    const all = [...new Set(group.members.flatMap((m) => m.values))];
    const alone = () => {
      for (const m of group.members) {
        void (async () => {
          await take();
          stats.calls += 1;
          return m.next(m.args);
        })().then(m.resolve, m.reject);
      }
    };
    try {
      const input = read.values
        ? read.values.into(first!.args.input, all)
        : { ...first!.args.input, [read.field]: all };
      const answer = await first!.next({ ...first!.args, input });
      // One page of more than was asked for one caller: cut, it could drop what is on the next.
      if (read.complete && !read.complete(answer.output)) {
        alone();
        return;
      }
      for (const m of group.members) m.resolve({ ...answer, output: read.part(answer.output, m.values) });
    } catch (error) {
      if (classify(error, { notFound: [...read.notFound], retryable: [], terminal: [] }) !== 'notFound') {
        for (const m of group.members) m.reject(error);
        return;
      }
      // One of them is gone: each asks alone, so that only its caller hears "not found".
      alone();
    }
  }
}
