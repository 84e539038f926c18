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
}

const onlyField = (field: string) => (input: Record<string, unknown>) =>
  Object.keys(input).every((key) => key === field || input[key] === undefined) &&
  Array.isArray(input[field]) &&
  (input[field] as unknown[]).length > 0;

/** A read of one resource by `field` alone (no marker, no other filter): alike callers share it. */
const sameRead = (field: string, notFound: readonly string[]): CoalescableRead => ({
  field,
  same: true,
  max: 1,
  accepts: (input) =>
    Object.keys(input).every((key) => key === field || input[key] === undefined) &&
    typeof input[field] === 'string',
  part: (output) => output,
  notFound,
});

/** The reads gathered, by `service:Operation`. */
export const COALESCABLE_READS: Record<string, CoalescableRead> = {
  // "You can specify up to 20 resources in a single call" (ELBv2 API reference, DescribeTags).
  'elbv2:DescribeTags': {
    field: 'ResourceArns',
    max: 20,
    accepts: onlyField('ResourceArns'),
    part: (output, arns) => ({
      ...output,
      TagDescriptions: ((output.TagDescriptions ?? []) as { ResourceArn?: string }[]).filter((description) =>
        arns.includes(description.ResourceArn ?? ''),
      ),
    }),
    notFound: ['LoadBalancerNotFound', 'TargetGroupNotFound', 'ListenerNotFound', 'RuleNotFound'],
  },
  // Names: at most 20 (ELBv2 API reference, DescribeLoadBalancers); a list of names is never paged.
  'elbv2:DescribeLoadBalancers': {
    field: 'Names',
    max: 20,
    accepts: onlyField('Names'),
    part: (output, names) => ({
      ...output,
      LoadBalancers: ((output.LoadBalancers ?? []) as { LoadBalancerName?: string }[]).filter((lb) =>
        names.includes(lb.LoadBalancerName ?? ''),
      ),
    }),
    notFound: ['LoadBalancerNotFound'],
  },
  // Names: AWS documents no maximum (the answer pages at 400); 20, as ELBv2's other lists. Absent
  // groups fail the whole call (TargetGroupNotFound), and then each caller asks alone.
  'elbv2:DescribeTargetGroups': {
    field: 'Names',
    max: 20,
    accepts: onlyField('Names'),
    part: (output, names) => ({
      ...output,
      TargetGroups: ((output.TargetGroups ?? []) as { TargetGroupName?: string }[]).filter((group) =>
        names.includes(group.TargetGroupName ?? ''),
      ),
    }),
    notFound: ['TargetGroupNotFound'],
  },
  'elbv2:DescribeListeners': sameRead('LoadBalancerArn', ['LoadBalancerNotFound']),
  'elbv2:DescribeTargetHealth': sameRead('TargetGroupArn', ['TargetGroupNotFound']),
};

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
    const values = read.same ? [args.input[read.field] as string] : [...(args.input[read.field] as string[])];
    // Alike reads are gathered per resource; list reads per operation.
    const groupKey = read.same ? `${operation}|${values[0]}` : operation;
    return new Promise((resolve, reject) => {
      const member: Member = { args, values, next, resolve, reject };
      const group = this.open.get(groupKey);
      const fresh = new Set([...values]);
      if (group && (read.same || group.size + [...fresh].length <= read.max)) {
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
    try {
      const answer = await first!.next({
        ...first!.args,
        input: { ...first!.args.input, [read.field]: all },
      });
      for (const m of group.members) m.resolve({ ...answer, output: read.part(answer.output, m.values) });
    } catch (error) {
      if (classify(error, { notFound: [...read.notFound], retryable: [], terminal: [] }) !== 'notFound') {
        for (const m of group.members) m.reject(error);
        return;
      }
      // One of them is gone: each asks alone, so that only its caller hears "not found".
      for (const m of group.members) {
        void (async () => {
          await take();
          stats.calls += 1;
          return m.next(m.args);
        })().then(m.resolve, m.reject);
      }
    }
  }
}
