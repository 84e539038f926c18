/**
 * Adversary (security): a stack's own code (a dependency of the user's routes, a remote code execution in
 * one) trying to get out of its stack with the stack's roles, given the most any escalation could give
 * them: `*:*` under the permissions boundary (reconciler/iam/stack-role-policies.ts). Beyond the rows of
 * attacks.test.ts and adversary-stack-role-record.test.ts (another stack's item, the system record, a
 * Scan, the reconciler's fields of its own item), the other ways in:
 *
 * - the table's stream, which carries every stack's item as written, `environment` values included;
 * - PartiQL, batch and Query calls, which are other IAM actions than GetItem and UpdateItem;
 * - the shared book of CreateLoadBalancer turns (`#lambdaflex-turns:…`), whose `next` far ahead would hold
 *   every stack's ALB back;
 * - the role's own `lambdaflex:stack` tag, which names the item it may reach: retagged (iam:TagRole) or
 *   overridden by a session tag (sts:AssumeRole with sts:TagSession);
 * - its own function, service and log group, changed in place of the reconciler.
 *
 * Every one is denied (found nothing): each row fails should the boundary ever grant it.
 */
import { arn } from '../../../reconciler/iam/arns';
import { stackBoundaryPolicy } from '../../../reconciler/iam/stack-role-policies';
import { turnBookKey } from '../../../reconciler/state/turn-book-record';
import { ACCOUNT, policyContext, REGION } from './installation';
import { evaluate, type IamRequest, type PolicySet } from './simulate';

const context = policyContext();
const ROLE_NAME = `lf-web-lambda-role-${REGION}`;
/** Stack `web`'s function role given everything (`*:*`): only the boundary holds it. */
const webAdmin: PolicySet = {
  identity: [
    {
      name: 'admin',
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    },
  ],
  boundary: stackBoundaryPolicy(context),
  account: ACCOUNT,
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/web`,
};
const TABLE_ARN = arn.table(context, context.tableName);
const STREAM_ARN = `${TABLE_ARN}/stream/2026-12-02T00:00:00.000`;
const WEB = { 'aws:PrincipalTag/lambdaflex:stack': 'web' };
const ownKey = { ...WEB, 'dynamodb:LeadingKeys': 'web' };
const ROLE_ARN = arn.role(context, ROLE_NAME, `/lambdaflex/${REGION}/`);

const ROWS: [string, IamRequest][] = [
  [
    'read the table’s stream (every stack’s item)',
    { action: 'dynamodb:GetRecords', resource: STREAM_ARN, context: WEB },
  ],
  ['open a shard of the stream', { action: 'dynamodb:GetShardIterator', resource: STREAM_ARN, context: WEB }],
  ['describe the stream', { action: 'dynamodb:DescribeStream', resource: STREAM_ARN, context: WEB }],
  [
    'PartiQL SELECT of its own key',
    { action: 'dynamodb:PartiQLSelect', resource: TABLE_ARN, context: ownKey },
  ],
  [
    'PartiQL UPDATE of its own key',
    { action: 'dynamodb:PartiQLUpdate', resource: TABLE_ARN, context: ownKey },
  ],
  [
    'BatchWriteItem of its own key',
    { action: 'dynamodb:BatchWriteItem', resource: TABLE_ARN, context: ownKey },
  ],
  ['BatchGetItem of its own key', { action: 'dynamodb:BatchGetItem', resource: TABLE_ARN, context: ownKey }],
  ['Query of its own key', { action: 'dynamodb:Query', resource: TABLE_ARN, context: ownKey }],
  [
    'UpdateItem of the book of CreateLoadBalancer turns',
    {
      action: 'dynamodb:UpdateItem',
      resource: TABLE_ARN,
      context: {
        ...WEB,
        'dynamodb:LeadingKeys': turnBookKey('elbv2:resourceIntensive'),
        'dynamodb:Attributes': ['next'],
      },
    },
  ],
  [
    'retag its own role as another stack’s',
    {
      action: 'iam:TagRole',
      resource: ROLE_ARN,
      context: { ...WEB, 'aws:RequestTag/lambdaflex:stack': 'payments', 'aws:TagKeys': ['lambdaflex:stack'] },
    },
  ],
  ['assume its own role again', { action: 'sts:AssumeRole', resource: ROLE_ARN, context: WEB }],
  [
    'tag its session as another stack’s',
    {
      action: 'sts:TagSession',
      resource: ROLE_ARN,
      context: { ...WEB, 'aws:RequestTag/lambdaflex:stack': 'payments', 'aws:TagKeys': ['lambdaflex:stack'] },
    },
  ],
  [
    'replace its own function’s code',
    {
      action: 'lambda:UpdateFunctionCode',
      resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:lf-web-function`,
      context: WEB,
    },
  ],
  [
    'scale its own service',
    {
      action: 'ecs:UpdateService',
      resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/lf-web-cluster/lf-web-service`,
      context: WEB,
    },
  ],
  [
    'delete its own log group',
    {
      action: 'logs:DeleteLogGroup',
      resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/lf-web-function`,
      context: WEB,
    },
  ],
];

describe('adversary (security): a stack role given *:* trying to leave its stack', () => {
  it('may still do what the service does (its own item): the rows below are not denied for want of a grant', async () => {
    const verdict = await evaluate(webAdmin, {
      action: 'dynamodb:GetItem',
      resource: TABLE_ARN,
      context: ownKey,
    });
    expect(verdict.result).toBe('Allowed');
  });

  it.each(ROWS)('may not %s', async (_name, request) => {
    const verdict = await evaluate(webAdmin, request);
    expect(verdict.result).not.toBe('Allowed');
  });
});
