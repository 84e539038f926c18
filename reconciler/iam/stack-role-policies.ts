/**
 * The customer managed policies bootstrap keeps for the stack roles of a region:
 *
 * - the permissions boundary every stack role is created with (the reconciler may create and change a
 *   stack role only while it carries it): whatever a stack role is given, by a policy, by a trust policy
 *   naming someone else, or by mistake, it can do no more than write its own logs and pull images of
 *   this account, and reach no item of the state table but its own stack's;
 * - the policy a task execution role carries beyond AWS's AmazonECSTaskExecutionRolePolicy: creating the
 *   stack's log group (the awslogs driver's `awslogs-create-group`). It replaces the inline policy stack
 *   roles had, so the reconciler needs no iam:PutRolePolicy at all;
 * - the policy the function role carries: the calls the service makes on its own item of the state table
 *   (service/state/, through reconciler/state/dynamo-store.ts: GetItem to read, UpdateItem with
 *   attribute_not_exists to create and with a generation condition to replace the spec). The writes may
 *   name the spec's attributes only (STACK_WRITABLE_ATTRIBUTES): the user's own code runs with this role,
 *   and the reconciler's private attributes (`bookkeeping`, `status`, `lease`, `events`,
 *   `deletionRequestedAt`) decide what it adopts, deletes and when it reconciles (docs/security.md).
 *
 * One policy serves every stack: the item is named by the policy variable `${aws:PrincipalTag/lambdaflex:stack}`,
 * the role's own tag, set when the reconciler creates the role and never changed (the reconciler holds
 * no iam:TagRole; Lambda and ECS assume the role without session tags, which could override it). A role
 * without the tag matches nothing: IAM leaves a statement whose variable does not resolve unmatched.
 */
import type { IamPolicy } from './policy';
import { arn, type Where } from './arns';
import { COMPONENTS, TAG_STACK } from '../../spec/names';

/** Where the stack roles' policies apply, and the state table they may read. */
export interface StackPolicyWhere extends Where {
  tableName: string;
}

/**
 * The attributes the service writes (reconciler/state/dynamo-store.ts, `create` and `replaceSpec`): the
 * key (AWS counts it among a write's attributes), the spec, its generation, the record's incarnation
 * (set by the create) and version (raised by every spec write). Nothing of the reconciler's.
 */
export const STACK_WRITABLE_ATTRIBUTES = ['stack', 'spec', 'generation', 'incarnation', 'version'];

/**
 * Every partition key of the request must be the role's stack: `ForAllValues`, because LeadingKeys is
 * multivalued. `ForAllValues` holds on a request without the key at all, so the key must be present
 * (a Scan or a batch call has none) and so must the role's tag.
 */
const OWN_ITEM_ONLY = {
  'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`\${aws:PrincipalTag/${TAG_STACK}}`] },
  Null: { 'dynamodb:LeadingKeys': 'false', [`aws:PrincipalTag/${TAG_STACK}`]: 'false' },
};

/**
 * Every attribute an UpdateItem names (SET and REMOVE alike, the key included) must be one of the spec's:
 * `ForAllValues` again, dynamodb:Attributes being multivalued, and present (an update naming none is no
 * write the service makes).
 */
const SPEC_ATTRIBUTES_ONLY = {
  'ForAllValues:StringEquals': {
    ...OWN_ITEM_ONLY['ForAllValues:StringEquals'],
    'dynamodb:Attributes': STACK_WRITABLE_ATTRIBUTES,
  },
  Null: { ...OWN_ITEM_ONLY.Null, 'dynamodb:Attributes': 'false' },
};

/**
 * Reading its own item (whole: /stack-status shows the status), writing the spec's attributes of it: the
 * calls the service makes on its record (service/state/store-provider.ts → DynamoStateStore). No PutItem:
 * it replaces the whole item, so even one naming the spec's attributes only would erase the reconciler's;
 * the service creates a record with UpdateItem.
 */
const ownItemStatements = (w: StackPolicyWhere, sid: string) => [
  {
    Sid: `${sid}Read`,
    Effect: 'Allow' as const,
    Action: ['dynamodb:GetItem'],
    Resource: arn.table(w, w.tableName),
    Condition: OWN_ITEM_ONLY,
  },
  {
    Sid: `${sid}SpecWrite`,
    Effect: 'Allow' as const,
    Action: ['dynamodb:UpdateItem'],
    Resource: arn.table(w, w.tableName),
    Condition: SPEC_ATTRIBUTES_ONLY,
  },
];

/** The role's own stack, as IAM resolves it in a Resource: the role's `lambdaflex:stack` tag. */
const OWN_STACK = `\${aws:PrincipalTag/${TAG_STACK}}`;

/**
 * The log groups of the role's own stack: its function's (`/aws/lambda/lf-<stack>-function`, spec/names.ts,
 * never cut) and its tasks' (`/lambdaflex/<stack>`). Not every stack's (`/aws/lambda/lf-*`): the user's code
 * runs with these roles, and one stack's code must not forge, flood or create first another stack's logs.
 * A role without the tag matches none (IAM leaves an unresolved variable unmatched).
 */
const ownLogGroups = (w: Where) => [
  ...arn.logGroups(w, `/aws/lambda/lf-${OWN_STACK}-${COMPONENTS.lambdaFunction}`),
  ...arn.logGroups(w, `/lambdaflex/${OWN_STACK}`),
];

export function stackBoundaryPolicy(w: StackPolicyWhere): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'StackLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: ownLogGroups(w),
      },
      {
        Sid: 'EcrToken',
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken'],
        Resource: '*',
      },
      {
        // Images of this account only; an image in another account needs the boundary widened on purpose.
        Sid: 'EcrPull',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: `arn:${w.partition}:ecr:*:${w.account}:repository/*`,
      },
      // The same condition as the table policy's: even a role given more cannot reach another stack's item.
      ...ownItemStatements(w, 'OwnStackItem'),
    ],
  };
}

export function stackLogsPolicy(w: Where): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CreateStackLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup'],
        Resource: arn.logGroups(w, `/lambdaflex/${OWN_STACK}`),
      },
    ],
  };
}

export function stackTablePolicy(w: StackPolicyWhere): IamPolicy {
  return { Version: '2012-10-17', Statement: ownItemStatements(w, 'OwnStackItem') };
}
