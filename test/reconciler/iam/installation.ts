/**
 * The installation the IAM tests evaluate policies for: the account, the region and the table
 * `lambdaflex`, and the reconciler's own role as it holds its policies there.
 */
import { reconcilerPolicies } from '../../../reconciler/iam/policy';
import type { PolicyContext } from '../../../reconciler/iam/scopes';
import type { PolicySet } from './simulate';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** The policy context of the installation, granted `hostedZones` (none unless given). */
export function policyContext(hostedZones: PolicyContext['hostedZones'] = []): PolicyContext {
  return { partition: 'aws', region: REGION, account: ACCOUNT, tableName: 'lambdaflex', hostedZones };
}

/** The reconciler's role holding every part of its policy for `context`. */
export function reconcilerPolicySet(context: PolicyContext): PolicySet {
  return {
    identity: reconcilerPolicies(context).map((p) => ({ name: p.part, policy: p.document })),
    account: ACCOUNT,
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/lambdaflex-reconciler-${REGION}/x`,
  };
}
