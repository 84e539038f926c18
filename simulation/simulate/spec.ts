/**
 * The spec a simulation runs: the user's (or the README example's), with its DNS moved into the simulated
 * account's own hosted zone. The simulated traffic follows the Route 53 weights of the stack's record
 * name, so without a record there Fargate would never receive a request whatever the phase; and a real
 * zone id from the user's spec means nothing in a fresh simulated account.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DesiredStateInput } from '../../spec/types';
import type { SimAccount } from '../../aws-sim/core/account';
import { DEFAULT_ZONE_NAME, zoneForName, type Route53State } from '../../aws-sim/services/route53';

/** The README's example: the default spec of `lambdaflex simulate`, in mode auto. */
export const EXAMPLE_SPEC_FILE = join(__dirname, '..', '..', 'examples', 'orders-api.json');

/** The schema's default for `dns.ttlSeconds`. */
const DEFAULT_TTL_SECONDS = 60;

export function exampleSpec(file = EXAMPLE_SPEC_FILE): DesiredStateInput {
  const example = JSON.parse(readFileSync(file, 'utf8')) as DesiredStateInput;
  return { ...example, mode: 'auto' };
}

/** The spec with `dns` in the account's zone (`<stack>.example.test`); everything else as given. */
export function withSimulatedDns(account: SimAccount, input: DesiredStateInput): DesiredStateInput {
  const recordName = `${input.stack}.${DEFAULT_ZONE_NAME}`;
  const zone = zoneForName(account.stateOf<Route53State>('route53'), recordName);
  if (!zone)
    throw new Error(`preparing the simulation: the simulated account has no hosted zone for ${recordName}`);
  return {
    ...input,
    dns: {
      ttlSeconds: input.dns?.ttlSeconds ?? DEFAULT_TTL_SECONDS,
      hostedZoneId: zone.id,
      recordName,
      // The simulator has no ACM and takes any well-formed ARN; API Gateway's custom domain needs one.
      certificateArn: account.arn('acm', 'certificate/00000000-0000-4000-8000-000000000000'),
    },
  };
}
