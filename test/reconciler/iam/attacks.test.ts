/**
 * What the reconciler's policy must refuse, evaluated with the IAM policy simulator (simulate.ts): a
 * table of attacks by someone holding the reconciler's credentials, each with the defence that stops it.
 *
 * - Escalation through IAM: roles only under the permissions boundary, no inline policy, only four
 *   managed policies attachable, only the stack roles of this region passable, and only to Lambda and
 *   ECS tasks. What IAM cannot check (a trust policy naming someone else) is made harmless by the
 *   boundary: the boundary rows evaluate what such a role could then do.
 * - Tag-then-own: tags can be added only while creating, or to what is ours already.
 * - Foreign resources: every mutating action whose statement requires our tag is tried on the same
 *   resource untagged and tagged by another tool (generated from the registry, so a new action gets
 *   its rows).
 * - DNS: only the configured zones, names and record types.
 *
 * The few grants AWS offers nothing narrower for are listed as residual rows, allowed, with the reason:
 * the table shows them rather than hiding them.
 */
import { arn, POLICY_NAMES } from '../../../reconciler/iam/arns';
import { RECONCILER_ACTIONS } from '../../../reconciler/iam/registry';
import { boundaryArn, IMPLIED_GRANTS, OPERATION_SCOPES } from '../../../reconciler/iam/scopes';
import { stackBoundaryPolicy, stackTablePolicy } from '../../../reconciler/iam/stack-role-policies';
import { ACCOUNT, policyContext, reconcilerPolicySet, REGION } from './installation';
import { evaluate, type IamRequest, type PolicySet } from './simulate';

const context = policyContext([{ id: 'ZOURS', recordNames: ['*.example.com'] }]);
const reconciler = reconcilerPolicySet(context);
/** A stack role given everything (`*:*`) under the boundary: what an escalation could at best reach. */
const boundedAdmin: PolicySet = {
  identity: [
    {
      name: 'admin',
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    },
  ],
  boundary: stackBoundaryPolicy(context),
  account: ACCOUNT,
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/lf-x-lambda-role-${REGION}/outsider`,
};

const OURS = { 'aws:ResourceTag/lambdaflex:managed-by': 'lambdaflex' };
const OUR_REQUEST = {
  'aws:RequestTag/lambdaflex:managed-by': 'lambdaflex',
  'aws:TagKeys': ['lambdaflex:managed-by'],
};
const OTHER_TOOL = { 'aws:ResourceTag/managed-by': 'terraform', 'aws:ResourceTag/owner': 'payments' };
const BOUNDARY = boundaryArn(context);
const stackRole = (name: string) => arn.role(context, name, `/lambdaflex/${REGION}/`);
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

interface Row {
  attack: string;
  /** Who acts: the reconciler (default), or a stack role given `*:*` under the boundary. */
  as?: PolicySet;
  request: IamRequest;
  expect: 'Denied' | 'Allowed';
  /** What stops it, or for an allowed row why it is harmless or residual. */
  defence: string;
}

const ESCALATIONS: Row[] = [
  {
    attack: 'create a stack role without the permissions boundary',
    request: {
      action: 'iam:CreateRole',
      resource: stackRole('lf-x-lambda-role-us-east-1'),
      context: OUR_REQUEST,
    },
    expect: 'Denied',
    defence: 'iam:CreateRole requires iam:PermissionsBoundary = the boundary bootstrap installed',
  },
  {
    attack: 'create a stack role bounded by AdministratorAccess',
    request: {
      action: 'iam:CreateRole',
      resource: stackRole('lf-x-lambda-role-us-east-1'),
      context: { ...OUR_REQUEST, 'iam:PermissionsBoundary': ADMIN },
    },
    expect: 'Denied',
    defence: 'the boundary must be LambdaFlex’s',
  },
  {
    attack: 'create a role outside the stack roles’ path (lf-x at /)',
    request: {
      action: 'iam:CreateRole',
      resource: arn.role(context, 'lf-x'),
      context: { ...OUR_REQUEST, 'iam:PermissionsBoundary': BOUNDARY },
    },
    expect: 'Denied',
    defence: 'roles are created only under /lambdaflex/<region>/',
  },
  {
    attack: 'create a bounded stack role whose trust policy names an outside account',
    request: {
      action: 'iam:CreateRole',
      resource: stackRole('lf-x-lambda-role-us-east-1'),
      context: { ...OUR_REQUEST, 'iam:PermissionsBoundary': BOUNDARY },
    },
    expect: 'Allowed',
    defence:
      'IAM has no condition key for a trust policy; harmless: the role is under the boundary (rows “a bounded role …” below)',
  },
  {
    attack: 'give a stack role an inline policy `*:*` (PutRolePolicy)',
    request: {
      action: 'iam:PutRolePolicy',
      resource: stackRole('lf-web-lambda-role-us-east-1'),
      context: { ...OURS, 'iam:PermissionsBoundary': BOUNDARY },
    },
    expect: 'Denied',
    defence:
      'no inline policy is ever written: iam:PutRolePolicy is not granted (a managed policy replaced it)',
  },
  {
    attack: 'attach AdministratorAccess to a stack role',
    request: {
      action: 'iam:AttachRolePolicy',
      resource: stackRole('lf-web-lambda-role-us-east-1'),
      context: { ...OURS, 'iam:PermissionsBoundary': BOUNDARY, 'iam:PolicyARN': ADMIN },
    },
    expect: 'Denied',
    defence:
      'iam:PolicyARN limited to AWSLambdaBasicExecutionRole, AmazonECSTaskExecutionRolePolicy, the logs and table policies',
  },
  {
    attack: 'attach an allowed policy to a role that lacks the boundary',
    request: {
      action: 'iam:AttachRolePolicy',
      resource: stackRole('lf-web-lambda-role-us-east-1'),
      context: { ...OURS, 'iam:PolicyARN': arn.awsManagedPolicy('aws', 'AmazonECSTaskExecutionRolePolicy') },
    },
    expect: 'Denied',
    defence: 'every role-changing action requires the role to carry the boundary',
  },
  {
    attack: 'swap a stack role’s boundary for AdministratorAccess',
    request: {
      action: 'iam:PutRolePermissionsBoundary',
      resource: stackRole('lf-web-lambda-role-us-east-1'),
      context: { ...OURS, 'iam:PermissionsBoundary': ADMIN },
    },
    expect: 'Denied',
    defence: 'the new boundary must be LambdaFlex’s',
  },
  {
    attack: 'remove a stack role’s boundary',
    request: {
      action: 'iam:DeleteRolePermissionsBoundary',
      resource: stackRole('lf-web-lambda-role-us-east-1'),
      context: { ...OURS, 'iam:PermissionsBoundary': BOUNDARY },
    },
    expect: 'Denied',
    defence: 'not granted',
  },
  {
    attack: 'rewrite the trust policy of a stack role',
    request: {
      action: 'iam:UpdateAssumeRolePolicy',
      resource: stackRole('lf-web-lambda-role-us-east-1'),
      context: { ...OURS, 'iam:PermissionsBoundary': BOUNDARY },
    },
    expect: 'Allowed',
    defence: 'needed to repair drift; harmless: the role stays under the boundary',
  },
  {
    attack: 'change the reconciler’s own role',
    request: {
      action: 'iam:AttachRolePolicy',
      resource: arn.role(context, `lambdaflex-reconciler-${REGION}`),
      context: { 'aws:ResourceTag/lambdaflex:managed-by': 'lambdaflex', 'iam:PolicyARN': ADMIN },
    },
    expect: 'Denied',
    defence: 'its roles are lambdaflex-*, outside every IAM grant',
  },
  {
    attack: 'rewrite the reconciler’s own policy',
    request: {
      action: 'iam:CreatePolicyVersion',
      resource: arn.policy(context, POLICY_NAMES.reconciler(REGION, 'control')),
    },
    expect: 'Denied',
    defence: 'no iam:*Policy* action on managed policies is granted',
  },
  {
    attack: 'rewrite the permissions boundary',
    request: { action: 'iam:CreatePolicyVersion', resource: BOUNDARY },
    expect: 'Denied',
    defence: 'no iam:*Policy* action on managed policies is granted',
  },
  {
    attack: 'pass the reconciler’s own role to a new Lambda function',
    request: {
      action: 'iam:PassRole',
      resource: arn.role(context, `lambdaflex-reconciler-${REGION}`),
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    },
    expect: 'Denied',
    defence: 'only the stack roles of this region may be passed',
  },
  {
    attack: 'pass a foreign role to ECS tasks',
    request: {
      action: 'iam:PassRole',
      resource: arn.role(context, 'payments-admin'),
      context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    },
    expect: 'Denied',
    defence: 'only the stack roles of this region may be passed',
  },
  {
    attack: 'pass another region’s stack role',
    request: {
      action: 'iam:PassRole',
      resource: arn.role(context, 'lf-web-lambda-role-eu-west-1', '/lambdaflex/eu-west-1/'),
      context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    },
    expect: 'Denied',
    defence: 'stack roles of this region only',
  },
  {
    attack: 'pass a stack role to EC2 (an instance profile of our choosing)',
    request: {
      action: 'iam:PassRole',
      resource: stackRole('lf-web-lambda-role-us-east-1'),
      context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    },
    expect: 'Denied',
    defence: 'iam:PassedToService is Lambda or ECS tasks',
  },
  {
    attack: 'delete another region’s stack role',
    request: {
      action: 'iam:DeleteRole',
      resource: arn.role(context, 'lf-web-lambda-role-eu-west-1', '/lambdaflex/eu-west-1/'),
      context: { ...OURS, 'iam:PermissionsBoundary': BOUNDARY },
    },
    expect: 'Denied',
    defence: 'IAM grants name the path of this region',
  },
  // What a role under the boundary can do at most, whatever it was given and whoever assumes it.
  ...(
    [
      ['iam:CreateRole', stackRole('lf-y')],
      ['iam:AttachRolePolicy', arn.role(context, 'any')],
      ['sts:AssumeRole', arn.role(context, 'any')],
      ['dynamodb:GetItem', arn.table(context, 'lambdaflex')],
      ['s3:GetObject', 'arn:aws:s3:::any-bucket/key'],
      ['ec2:RunInstances', `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123`],
      ['lambda:UpdateFunctionCode', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:any`],
      ['ecr:BatchGetImage', `arn:aws:ecr:${REGION}:999999999999:repository/other-account`],
      ['logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/rds/instance/x:log-stream:y`],
    ] as const
  ).map(([action, resource]): Row => ({
    attack: `a bounded role given *:* then tries ${action}`,
    as: boundedAdmin,
    request: { action, resource },
    expect: 'Denied',
    defence: 'the permissions boundary: stack logs and this account’s images only',
  })),
  {
    attack: 'a bounded role given *:* writes its own stack’s logs',
    as: boundedAdmin,
    request: {
      action: 'logs:PutLogEvents',
      resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/lf-x-function:log-stream:x`,
      context: { 'aws:PrincipalTag/lambdaflex:stack': 'x' },
    },
    expect: 'Allowed',
    defence: 'what stack roles are for',
  },
];

const TAG_THEN_OWN: Row[] = [
  {
    attack: 'tag a foreign Lambda function as ours',
    request: {
      action: 'lambda:TagResource',
      resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:lf-payments`,
      context: { ...OUR_REQUEST, ...OTHER_TOOL },
    },
    expect: 'Denied',
    defence: 'lambda:TagResource needs the resource to carry our tag already (true only while creating)',
  },
  {
    attack: 'tag an untagged foreign scalable target as ours',
    request: {
      action: 'application-autoscaling:TagResource',
      resource: `arn:aws:application-autoscaling:${REGION}:${ACCOUNT}:scalable-target/0123abcd`,
      context: OUR_REQUEST,
    },
    expect: 'Denied',
    defence: 'application-autoscaling:TagResource needs the resource to carry our tag already',
  },
  {
    attack: 'tag a foreign VPC as ours (CreateTags outside a create)',
    request: {
      action: 'ec2:CreateTags',
      resource: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0foreign`,
      context: OUR_REQUEST,
    },
    expect: 'Denied',
    defence: 'ec2:CreateTags only with ec2:CreateAction (during our creates)',
  },
  {
    attack: 'tag a foreign load balancer as ours',
    request: {
      action: 'elasticloadbalancing:AddTags',
      resource: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/lf-payments/0123`,
      context: OUR_REQUEST,
    },
    expect: 'Denied',
    defence: 'AddTags only with elasticloadbalancing:CreateAction',
  },
  {
    attack: 'tag a foreign ECS cluster as ours',
    request: {
      action: 'ecs:TagResource',
      resource: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/lf-payments`,
      context: OUR_REQUEST,
    },
    expect: 'Denied',
    defence: 'ecs:TagResource only with ecs:CreateAction',
  },
  {
    attack: 'tag a foreign HTTP API as ours (POST /tags/…)',
    request: {
      action: 'apigateway:POST',
      resource: `arn:aws:apigateway:${REGION}::/tags/${encodeURIComponent(`arn:aws:apigateway:${REGION}::/apis/foreign`)}`,
      context: OUR_REQUEST,
    },
    expect: 'Denied',
    defence: 'no grant on /tags/*',
  },
  {
    attack: 'tag a foreign role as ours',
    request: { action: 'iam:TagRole', resource: arn.role(context, 'payments-admin'), context: OUR_REQUEST },
    expect: 'Denied',
    defence: 'iam:TagRole is not granted',
  },
];

const DNS: Row[] = [
  {
    attack: 'change records in a hosted zone bootstrap was not given',
    request: {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/ZOTHER',
      context: {
        'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['api.example.com'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    },
    expect: 'Denied',
    defence: 'only the zones of `bootstrap --hosted-zone`',
  },
  {
    attack: 'change the zone apex (MX, NS of example.com)',
    request: {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/ZOURS',
      context: {
        'route53:ChangeResourceRecordSetsRecordTypes': ['MX'],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['example.com'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    },
    expect: 'Denied',
    defence: 'only A and TXT records, and only the names given (*.example.com)',
  },
  {
    attack: 'an A record at the apex of a configured zone',
    request: {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/ZOURS',
      context: {
        'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['example.com'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    },
    expect: 'Denied',
    defence: 'route53:ChangeResourceRecordSetsNormalizedRecordNames',
  },
  {
    attack: 'a CNAME under a configured name',
    request: {
      action: 'route53:ChangeResourceRecordSets',
      resource: 'arn:aws:route53:::hostedzone/ZOURS',
      context: {
        'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['www.example.com'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    },
    expect: 'Denied',
    defence: 'route53:ChangeResourceRecordSetsRecordTypes: A and TXT',
  },
];

/** A concrete resource for a pattern of ours: every `*` becomes an id. */
const concrete = (pattern: string) => pattern.replace(/\*/g, 'x1');

/** Every mutating action whose grant requires our tag, tried on a foreign resource (two ways each). */
function foreignRows(): Row[] {
  const rows: Row[] = [];
  const scoped = [
    ...RECONCILER_ACTIONS.map((entry) => ({
      action: entry.action,
      scopes: OPERATION_SCOPES[entry.call]!(context),
    })),
    ...IMPLIED_GRANTS.map((grant) => ({ action: grant.action, scopes: grant.scopes(context) })),
  ];
  const seen = new Set<string>();
  for (const { action, scopes } of scoped) {
    for (const scope of scopes) {
      const json = JSON.stringify(scope.condition ?? {});
      if (!json.includes('aws:ResourceTag/lambdaflex:managed-by') || json.includes('aws:RequestTag'))
        continue;
      for (const resource of scope.resources.map(concrete)) {
        for (const [how, tags] of [
          ['untagged', {}],
          ['tagged by another tool', OTHER_TOOL],
        ] as const) {
          const key = `${action} ${resource} ${how}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const extra: Record<string, string | string[]> = json.includes('iam:PermissionsBoundary')
            ? { 'iam:PermissionsBoundary': BOUNDARY }
            : {};
          if (json.includes('iam:PolicyARN'))
            extra['iam:PolicyARN'] = arn.awsManagedPolicy('aws', 'AWSLambdaBasicExecutionRole');
          rows.push({
            attack: `${action} on a foreign resource (${how})`,
            request: { action, resource, context: { ...tags, ...extra } },
            expect: 'Denied',
            defence: 'aws:ResourceTag/lambdaflex:managed-by',
          });
        }
      }
    }
  }
  return rows;
}

/**
 * The stack roles on the state table: a stack's role carries bootstrap's table policy (under the
 * boundary) and the tag `lambdaflex:stack` = its stack; it reaches its own item and no other.
 */
const webRole = (policies: PolicySet['identity']): PolicySet => ({
  identity: policies,
  boundary: stackBoundaryPolicy(context),
  account: ACCOUNT,
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/lf-web-lambda-role-${REGION}/web`,
});
const webFunction = webRole([{ name: 'table', policy: stackTablePolicy(context) }]);
const webAdmin = webRole(boundedAdmin.identity);
const TABLE_ARN = arn.table(context, context.tableName);
const asWeb = (key: string | string[], extra: Record<string, string | string[]> = {}) => ({
  'aws:PrincipalTag/lambdaflex:stack': 'web',
  'dynamodb:LeadingKeys': key,
  ...extra,
});
const ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];
/** A spec write's attributes as DynamoDB names them to IAM: the key too. */
const SPEC_WRITE = { 'dynamodb:Attributes': ['stack', 'spec', 'generation', 'version'] };
const asWebDoing = (action: string, key: string | string[]) =>
  asWeb(key, action === 'dynamodb:UpdateItem' ? SPEC_WRITE : {});

function stateTableRows(): Row[] {
  const rows: Row[] = [];
  for (const action of ITEM_ACTIONS) {
    rows.push(
      {
        attack: `the web stack's role: ${action} on its own item (allowed, the service's own record)`,
        as: webFunction,
        request: { action, resource: TABLE_ARN, context: asWebDoing(action, 'web') },
        expect: 'Allowed',
        defence: 'the table policy: dynamodb:LeadingKeys = ${aws:PrincipalTag/lambdaflex:stack}',
      },
      {
        attack: `the web stack's role: ${action} on another stack's item`,
        as: webFunction,
        request: { action, resource: TABLE_ARN, context: asWebDoing(action, 'orders') },
        expect: 'Denied',
        defence: 'dynamodb:LeadingKeys must equal the role’s lambdaflex:stack tag',
      },
      {
        attack: `a bounded stack role given *:* : ${action} on another stack's item`,
        as: webAdmin,
        request: { action, resource: TABLE_ARN, context: asWebDoing(action, 'orders') },
        expect: 'Denied',
        defence: 'the boundary carries the same dynamodb:LeadingKeys condition',
      },
    );
  }
  rows.push(
    {
      attack: "the web stack's role: GetItem of the system record",
      as: webFunction,
      request: { action: 'dynamodb:GetItem', resource: TABLE_ARN, context: asWeb('#system') },
      expect: 'Denied',
      defence: 'dynamodb:LeadingKeys must equal the role’s lambdaflex:stack tag',
    },
    {
      attack: "the web stack's role: DeleteItem of its own item",
      as: webFunction,
      request: { action: 'dynamodb:DeleteItem', resource: TABLE_ARN, context: asWeb('web') },
      expect: 'Denied',
      defence: 'only GetItem and UpdateItem are granted (deletion is the reconciler’s)',
    },
    {
      attack:
        "the web stack's role: PutItem of its own item with the spec's attributes only (erasing the reconciler's)",
      as: webFunction,
      request: {
        action: 'dynamodb:PutItem',
        resource: TABLE_ARN,
        context: asWeb('web', { 'dynamodb:Attributes': ['stack', 'spec', 'generation', 'version'] }),
      },
      expect: 'Denied',
      defence: 'no PutItem: it replaces the whole item; the service creates with UpdateItem',
    },
    {
      attack: 'a bounded stack role given *:* : PutItem of its own item',
      as: webAdmin,
      request: {
        action: 'dynamodb:PutItem',
        resource: TABLE_ARN,
        context: asWeb('web', { 'dynamodb:Attributes': ['stack', 'spec'] }),
      },
      expect: 'Denied',
      defence: 'the boundary allows GetItem and UpdateItem only',
    },
    {
      attack: "a bounded stack role given *:* : UpdateItem of its own item's lease",
      as: webAdmin,
      request: {
        action: 'dynamodb:UpdateItem',
        resource: TABLE_ARN,
        context: asWeb('web', { 'dynamodb:Attributes': ['stack', 'lease'] }),
      },
      expect: 'Denied',
      defence: 'the boundary carries the same dynamodb:Attributes condition',
    },
    {
      attack: "a bounded stack role given *:* : Scan of the table (every stack's item)",
      as: webAdmin,
      request: {
        action: 'dynamodb:Scan',
        resource: TABLE_ARN,
        context: { 'aws:PrincipalTag/lambdaflex:stack': 'web' },
      },
      expect: 'Denied',
      defence: 'the boundary allows item calls only, and only with dynamodb:LeadingKeys',
    },
    {
      attack: "the web stack's role: GetItem of its key in another table",
      as: webFunction,
      request: { action: 'dynamodb:GetItem', resource: arn.table(context, 'other'), context: asWeb('web') },
      expect: 'Denied',
      defence: 'the state table of this region only',
    },
    {
      attack: 'a stack role without the lambdaflex:stack tag: GetItem of any item',
      as: { ...webFunction },
      request: {
        action: 'dynamodb:GetItem',
        resource: TABLE_ARN,
        context: { 'dynamodb:LeadingKeys': 'web' },
      },
      expect: 'Denied',
      defence: 'an unresolved ${aws:PrincipalTag/…} matches nothing',
    },
  );
  return rows;
}

/** Grants AWS offers nothing narrower for: shown, allowed, with the reason (residual risk). */
function residualRows(): Row[] {
  const rows: Row[] = [];
  for (const entry of RECONCILER_ACTIONS) {
    for (const scope of OPERATION_SCOPES[entry.call]!(context)) {
      if (!scope.why) continue;
      rows.push({
        attack: `${entry.call} on a foreign resource of the same path (residual)`,
        request: {
          action: entry.action,
          resource: scope.resources[0] === '*' ? '*' : concrete(scope.resources[0]!),
          context:
            entry.action === 'route53:ChangeResourceRecordSets'
              ? {
                  'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
                  'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['someone-elses.example.com'],
                  'route53:ChangeResourceRecordSetsActions': ['DELETE'],
                }
              : {},
        },
        expect: 'Allowed',
        defence: scope.why,
      });
    }
  }
  return rows;
}

const TABLE: Row[] = [
  ...ESCALATIONS,
  ...TAG_THEN_OWN,
  ...DNS,
  ...stateTableRows(),
  ...foreignRows(),
  ...residualRows(),
];

describe('attacks on the reconciler’s policy', () => {
  it('has a row for every mutating action that requires our tag', () => {
    expect(foreignRows().length).toBeGreaterThan(80);
  });

  it.each(TABLE.map((row) => [row.attack, row] as const))('%s', async (_name, row) => {
    const verdict = await evaluate(row.as ?? reconciler, row.request);
    const denied = verdict.result !== 'Allowed';
    expect({ attack: row.attack, result: denied ? 'Denied' : 'Allowed', defence: row.defence }).toEqual({
      attack: row.attack,
      result: row.expect,
      defence: row.defence,
    });
  });
});
