/**
 * EC2's token buckets (docs/aws-facts.md "API rate limits"; "Request throttling for the Amazon EC2 API": "each
 * API is evaluated individually", so every API action has a bucket of its own of these sizes).
 */
export const EC2_BUCKETS = {
  describe: { capacity: 100, refillPerSecond: 20, scope: 'operation' },
  mutating: { capacity: 50, refillPerSecond: 5, scope: 'operation' },
} as const;

/** Unfiltered, unpaginated DescribeNetworkInterfaces / DescribeSecurityGroups. */
export const UNFILTERED_BUCKET = { capacity: 50, refillPerSecond: 10 } as const;
