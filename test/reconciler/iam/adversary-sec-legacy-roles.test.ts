/**
 * Adversary (security): the reconciler's credentials against the account-wide stack roles of before
 * (`lf-<stack>-lambda-role`, `lf-<stack>-execution-role`, path `/`). Such a role was shared by the stacks
 * of that name in every region, and may still be the role of a function or task definition in a region
 * that has not moved to its regional role: a region's reconciler can't see the others' functions, so it
 * never deletes or changes one (reconciler/resources/iam/role.ts, replacedRoleResource: "never modified or
 * deleted"; docs/security.md, "Per region"). Its policy should grant no more than that code uses: no
 * removal on a role another region may still run with, as for another region's regional role (attacks:
 * "delete another region's stack role", denied).
 *
 * Found: the policy still grants iam:DetachRolePolicy, iam:DeleteRolePolicy and iam:DeleteRole on
 * `role/lf-*` tagged ours, without the boundary every other role change needs (left from when the old role
 * was emptied and deleted). Whoever holds the credentials of one region's reconciler (or a bug in it) could
 * strip and delete the role that `orders-api`'s function in another region still assumes, and that
 * function stops. The reads that let status list the old role stay granted.
 */
import { arn } from '../../../reconciler/iam/arns';
import { policyContext, reconcilerPolicySet } from './installation';
import { evaluate } from './simulate';

const context = policyContext();
const reconciler = reconcilerPolicySet(context);
/** The account-wide role of before, as the reconciler made it: tagged ours, no boundary, at `/`. */
const OLD_ROLE = arn.role(context, 'lf-orders-api-lambda-role');
const OURS = { 'aws:ResourceTag/lambdaflex:managed-by': 'lambdaflex' };
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('adversary (security): the reconciler’s credentials on the account-wide roles of before', () => {
  it.each([
    ['iam:DetachRolePolicy', { ...OURS, 'iam:PolicyARN': BASIC }],
    ['iam:DeleteRolePolicy', OURS],
    ['iam:DeleteRole', OURS],
  ])('%s on lf-orders-api-lambda-role (path /) is denied', async (action, requestContext) => {
    const verdict = await evaluate(reconciler, { action, resource: OLD_ROLE, context: requestContext });
    expect(verdict.result).not.toBe('Allowed');
  });

  it.each(['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'])(
    '%s on it is still allowed (status lists the old role)',
    async (action) => {
      const verdict = await evaluate(reconciler, { action, resource: OLD_ROLE, context: OURS });
      expect(verdict.result).toBe('Allowed');
    },
  );
});
