/**
 * The stack the sandbox applies on its first run: the README's example (examples/orders-api.json), in
 * auto mode, with a custom domain in the simulated account's hosted zone. The domain matters: the
 * simulated traffic follows the Route 53 weights of that name, so a stack without one would send every
 * request to Lambda whatever the phase.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimAccount } from '../aws-sim/core/account';
import { DEFAULT_ZONE_NAME, zoneForName, type Route53State } from '../aws-sim/services/route53';
import type { DesiredStateInput } from '../spec/types';

export const EXAMPLE_FILE = join(__dirname, '..', 'examples', 'orders-api.json');

/** The hostname the demo stack answers on, in the simulated account's own zone. */
export function demoRecordName(stack: string): string {
  return `${stack}.${DEFAULT_ZONE_NAME}`;
}

/**
 * @example
 * const spec = demoStack(account); // { stack: 'orders-api', mode: 'auto', dns: { hostedZoneId: 'Z…', … }, … }
 */
export function demoStack(account: SimAccount, file = EXAMPLE_FILE): DesiredStateInput {
  const example = JSON.parse(readFileSync(file, 'utf8')) as DesiredStateInput;
  const recordName = demoRecordName(example.stack);
  const zone = zoneForName(account.stateOf<Route53State>('route53'), recordName);
  if (!zone)
    throw new Error(`preparing the demo stack: the simulated account has no hosted zone for ${recordName}`);
  return {
    ...example,
    mode: 'auto',
    dns: {
      hostedZoneId: zone.id,
      recordName,
      // A short TTL keeps the drain after a move back to Lambda (TTL × 2) to a couple of minutes.
      ttlSeconds: 30,
      // The simulator has no ACM and takes any well-formed ARN; API Gateway's custom domain needs one.
      certificateArn: account.arn('acm', 'certificate/00000000-0000-4000-8000-000000000000'),
    },
  };
}
