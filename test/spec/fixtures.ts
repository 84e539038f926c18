/** The example desired-state document of the spec's tests, every field given. */
export function exampleSpec(): Record<string, unknown> {
  return {
    stack: 'orders-api',
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2',
    mode: 'auto',
    port: 8080,
    healthCheckPath: '/health',
    environment: { LOG_LEVEL: 'info' },
    lambda: { memoryMb: 512, timeoutSeconds: 29, reservedConcurrency: 100 },
    fargate: { cpu: 512, memoryMb: 1024, minTasks: 1, maxTasks: 10, targetRequestsPerTask: 100 },
    thresholds: {
      scaleUp: { requestsPerSecond: 20, forMinutes: 3, lambdaConcurrencyPercent: 80 },
      scaleDown: { requestsPerSecond: 5, forMinutes: 15 },
      cooldownMinutes: 10,
    },
    network: { cidr: '10.42.0.0/16' },
    dns: {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'api.example.com',
      ttlSeconds: 60,
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f3c1a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b',
    },
    traffic: { shiftSteps: [10, 50, 100], stepSeconds: 60 },
  };
}

export const MINIMAL = {
  stack: 'orders-api',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1',
};

/** Sets `value` at a dotted path of a copy of `doc` (creating objects on the way). */
export function withValue(
  doc: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(doc);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return copy;
}
