/**
 * The statement in the function's resource policy that lets API Gateway invoke it, limited to our API
 * (`arn:aws:execute-api:<region>:<account>:<apiId>/*`). The region, account and partition come from the
 * function's ARN, so that `desiredAttributes` stays a pure function of the spec and the refs. A statement can't be
 * changed in place: `update` removes it and adds it again.
 */
import { AddPermissionCommand, GetPolicyCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { HTTP_API_KEY, apiIdOf } from '../apigateway/support';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ErrorCodes, ObservedResource, ResourceContext, StackResource } from '../types';
import { RESOURCE_KEYS } from '../keys';

const KEY = RESOURCE_KEYS.lambdaPermission;

/** What the permission's verbs keep in `extra`: the function whose policy holds the statement. */
export interface LambdaPermissionExtra {
  functionName: string;
  statementId: string;
}
const TYPE = 'AWS::Lambda::Permission';
const FUNCTION_KEY = RESOURCE_KEYS.lambdaFunction;
export const PERMISSION_STATEMENT_ID = 'lambdaflex-apigw';
export const API_GATEWAY_PRINCIPAL = 'apigateway.amazonaws.com';
const INVOKE_ACTION = 'lambda:InvokeFunction';

export const lambdaPermissionErrors: ErrorCodes = {
  // GetPolicy answers ResourceNotFoundException both for a missing function and for an empty policy.
  notFound: ['ResourceNotFoundException'],
  // The statement already exists (a pass died before recording it), or the function is being updated.
  retryable: ['ResourceConflictException', 'PreconditionFailedException'],
  terminal: ['PolicyLengthExceededException', 'InvalidParameterValueException', 'AccessDeniedException'],
};

/** `arn:<partition>:execute-api:<region>:<account>:<apiId>/*` from the function's ARN, or undefined while unknown. */
export function executeApiSourceArn(
  functionArn: string | undefined,
  apiId: string | undefined,
): string | undefined {
  if (!functionArn || !apiId) return undefined;
  const [, partition, , region, account] = functionArn.split(':');
  if (!partition || !region || !account) return undefined;
  return `arn:${partition}:execute-api:${region}:${account}:${apiId}/*`;
}

function desired(refs: ResourceContext['refs']): Record<string, unknown> {
  return {
    principal: API_GATEWAY_PRINCIPAL,
    action: INVOKE_ACTION,
    sourceArn: executeApiSourceArn(refs[FUNCTION_KEY]?.arn, apiIdOf(refs)),
  };
}

interface PolicyStatement {
  Sid?: string;
  Principal?: { Service?: string } | string;
  Action?: string | string[];
  Condition?: { ArnLike?: Record<string, string> };
}

function statementAttributes(statement: PolicyStatement): Record<string, unknown> {
  const principal =
    typeof statement.Principal === 'string' ? statement.Principal : statement.Principal?.Service;
  const action = Array.isArray(statement.Action) ? statement.Action[0] : statement.Action;
  return { principal, action, sourceArn: statement.Condition?.ArnLike?.['AWS:SourceArn'] };
}

function observe(
  functionName: string,
  attributes: Record<string, unknown>,
  ctx: ResourceContext,
): ObservedResource<LambdaPermissionExtra> {
  const fn = ctx.refs[FUNCTION_KEY];
  return {
    key: KEY,
    type: TYPE,
    id: `${functionName}/${PERMISSION_STATEMENT_ID}`,
    // A statement has no tags: it is ours when it has our id in our function's policy.
    tags: { ...(fn?.tags ?? {}) },
    foreign: fn?.foreign ?? false,
    attributes,
    ready: true,
    extra: { functionName, statementId: PERMISSION_STATEMENT_ID },
  };
}

function functionNameOf(ctx: ResourceContext): string | undefined {
  return ctx.refs[FUNCTION_KEY]?.id;
}

async function find(ctx: ResourceContext): Promise<ObservedResource<LambdaPermissionExtra> | undefined> {
  const functionName = functionNameOf(ctx);
  if (!functionName) return undefined;
  const answer = await orUndefinedIfGone(
    () => ctx.clients.lambda.send(new GetPolicyCommand({ FunctionName: functionName })),
    lambdaPermissionErrors,
  );
  if (!answer?.Policy) return undefined;
  const policy = JSON.parse(answer.Policy) as { Statement?: PolicyStatement[] };
  const statement = (policy.Statement ?? []).find((candidate) => candidate.Sid === PERMISSION_STATEMENT_ID);
  return statement ? observe(functionName, statementAttributes(statement), ctx) : undefined;
}

function requireDesired(ctx: ResourceContext): { functionName: string; sourceArn: string } {
  const functionName = functionNameOf(ctx);
  const sourceArn = executeApiSourceArn(ctx.refs[FUNCTION_KEY]?.arn, apiIdOf(ctx.refs));
  if (!functionName || !sourceArn) {
    throw new Error(
      `${KEY} needs ${FUNCTION_KEY} (with its ARN) and ${HTTP_API_KEY}, which have not been observed yet`,
    );
  }
  return { functionName, sourceArn };
}

async function addStatement(ctx: ResourceContext): Promise<ObservedResource<LambdaPermissionExtra>> {
  const { functionName, sourceArn } = requireDesired(ctx);
  await ctx.clients.lambda.send(
    new AddPermissionCommand({
      FunctionName: functionName,
      StatementId: PERMISSION_STATEMENT_ID,
      Action: INVOKE_ACTION,
      Principal: API_GATEWAY_PRINCIPAL,
      SourceArn: sourceArn,
    }),
  );
  return observe(functionName, desired(ctx.refs), ctx);
}

async function removeStatement(ctx: ResourceContext, functionName: string): Promise<void> {
  await deleteIgnoringGone(
    () =>
      ctx.clients.lambda.send(
        new RemovePermissionCommand({ FunctionName: functionName, StatementId: PERMISSION_STATEMENT_ID }),
      ),
    lambdaPermissionErrors,
  );
}

async function update(
  ctx: ResourceContext,
  current: ObservedResource<LambdaPermissionExtra>,
): Promise<ObservedResource<LambdaPermissionExtra>> {
  assertOwned(current, 'updating');
  // Between the two calls API Gateway can't invoke the function: this only runs when the statement is wrong anyway.
  await removeStatement(ctx, requireDesired(ctx).functionName);
  return addStatement(ctx);
}

async function remove(ctx: ResourceContext, current: ObservedResource<LambdaPermissionExtra>): Promise<void> {
  assertOwned(current, 'deleting');
  const functionName = current.extra?.functionName ?? functionNameOf(ctx);
  if (!functionName) return;
  await removeStatement(ctx, functionName);
}

/**
 * @example
 * lambdaPermissionResource.desiredAttributes(spec, refs).sourceArn; // 'arn:aws:execute-api:us-east-1:123456789012:abcde12345/*'
 */
export const lambdaPermissionResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'lambda',
  steadyCheck: 'untagged',
  tier: 'lambda',
  dependsOn: [FUNCTION_KEY, HTTP_API_KEY],
  errors: lambdaPermissionErrors,
  neededBy: () => true,
  desiredAttributes: (_spec, refs) => desired(refs),
  find,
  create: addStatement,
  update,
  delete: remove,
};
