/**
 * EC2's token buckets: AWS's published sizes (aws-facts/api-rate-limits.ts; "Request throttling for the
 * Amazon EC2 API": "each API is evaluated individually", so every API action has a bucket of its own).
 */
import { API_RATE_LIMITS, EC2_UNFILTERED_DESCRIBE } from '../../../aws-facts/api-rate-limits';

export const EC2_BUCKETS = {
  describe: { ...API_RATE_LIMITS.ec2.read, scope: 'operation' },
  mutating: { ...API_RATE_LIMITS.ec2.write, scope: 'operation' },
} as const;

/** Unfiltered, unpaginated DescribeNetworkInterfaces / DescribeSecurityGroups. */
export const UNFILTERED_BUCKET = EC2_UNFILTERED_DESCRIBE;
