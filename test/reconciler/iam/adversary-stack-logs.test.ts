/**
 * adversary: one stack's code writing into another stack's logs. The user's routes run in the stack's image
 * with the stack's roles (the function's role carries AWS's AWSLambdaBasicExecutionRole, logs on `*`), so
 * whoever runs code in stack `web` (a dependency of the user's, a remote code execution in a route) holds
 * what those roles may do, as far as the permissions boundary lets them. The boundary is what keeps one
 * stack from another: it must let a role write its own stack's log groups only, not every stack's. Were
 * it `/aws/lambda/lf-*` and `/lambdaflex/*`, stack `web` could forge lines in `payments`' logs (the service's
 * `request failed` lines an operator reads to find a cause), flood them, or create `payments`' log group
 * before `payments` exists (a log group's KMS key and retention are set by whoever creates it).
 */
import { stackBoundaryPolicy, stackLogsPolicy } from '../../../reconciler/iam/stack-role-policies';
import { ACCOUNT, policyContext, REGION } from './installation';
import { evaluate, type PolicySet } from './simulate';

const context = policyContext();
const logsOnAnything = {
  Version: '2012-10-17' as const,
  Statement: [
    {
      Effect: 'Allow' as const,
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    },
  ],
};
/** Stack `web`'s function role: AWSLambdaBasicExecutionRole (logs on `*`) under the boundary. */
const webFunction: PolicySet = {
  identity: [{ name: 'AWSLambdaBasicExecutionRole', policy: logsOnAnything }],
  boundary: stackBoundaryPolicy(context),
  account: ACCOUNT,
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/lf-web-lambda-role-${REGION}/web`,
};
/** Stack `web`'s task execution role (the awslogs driver writes the tasks' logs with it). */
const webExecution: PolicySet = {
  identity: [
    { name: 'AmazonECSTaskExecutionRolePolicy', policy: logsOnAnything },
    { name: 'logs', policy: stackLogsPolicy(context) },
  ],
  boundary: stackBoundaryPolicy(context),
  account: ACCOUNT,
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/lf-web-execution-role-${REGION}/ecs`,
};
const asWeb = { 'aws:PrincipalTag/lambdaflex:stack': 'web' };
const logGroup = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;
const logStream = (name: string) => `${logGroup(name)}:log-stream:2026/12/02/[$LATEST]0123`;

describe('adversary: a stack role writing logs', () => {
  it.each([
    ['its function’s log stream', webFunction, 'logs:PutLogEvents', logStream('/aws/lambda/lf-web-function')],
    ['its function’s log group', webFunction, 'logs:CreateLogGroup', logGroup('/aws/lambda/lf-web-function')],
    ['its tasks’ log stream', webExecution, 'logs:PutLogEvents', logStream('/lambdaflex/web')],
    ['its tasks’ log group', webExecution, 'logs:CreateLogGroup', logGroup('/lambdaflex/web')],
  ])('may write %s', async (_name, role, action, resource) => {
    const verdict = await evaluate(role, { action, resource, context: asWeb });
    expect(verdict.result).toBe('Allowed');
  });

  it.each([
    [
      'another stack’s function logs',
      webFunction,
      'logs:PutLogEvents',
      logStream('/aws/lambda/lf-payments-function'),
    ],
    [
      'another stack’s function log group, created first',
      webFunction,
      'logs:CreateLogGroup',
      logGroup('/aws/lambda/lf-payments-function'),
    ],
    [
      'a stack of a longer name’s function logs',
      webFunction,
      'logs:PutLogEvents',
      logStream('/aws/lambda/lf-web-admin-function'),
    ],
    ['another stack’s tasks’ logs', webExecution, 'logs:PutLogEvents', logStream('/lambdaflex/payments')],
    [
      'another stack’s tasks’ logs, by the function role',
      webFunction,
      'logs:PutLogEvents',
      logStream('/lambdaflex/payments'),
    ],
    [
      'another stack’s tasks’ log group, created first',
      webExecution,
      'logs:CreateLogGroup',
      logGroup('/lambdaflex/payments'),
    ],
    [
      'a stack of a longer name’s tasks’ logs',
      webExecution,
      'logs:PutLogEvents',
      logStream('/lambdaflex/web-admin'),
    ],
  ])('may not write %s', async (_name, role, action, resource) => {
    const verdict = await evaluate(role, { action, resource, context: asWeb });
    expect(verdict.result).not.toBe('Allowed');
  });

  it('a role without the stack tag writes no stack’s logs', async () => {
    const verdict = await evaluate(webFunction, {
      action: 'logs:PutLogEvents',
      resource: logStream('/aws/lambda/lf-web-function'),
    });
    expect(verdict.result).not.toBe('Allowed');
  });
});
