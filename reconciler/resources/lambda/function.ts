/**
 * The Lambda function of the Lambda tier: the spec's container image (PackageType Image), its memory,
 * timeout and environment (plus LambdaFlex's own variables, `LAMBDAFLEX_STACK` above all, so the service
 * knows which stack it serves), the execution role from `lambda-role`, and the optional reserved
 * concurrency.
 *
 * Lambda refuses a second update while one is running (`ResourceConflictException`), so `update` makes at
 * most one UpdateFunctionConfiguration or UpdateFunctionCode call per pass: the function is then not ready
 * (LastUpdateStatus InProgress) and the next pass's diff brings whatever is left.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
  type GetFunctionResponse,
} from '@aws-sdk/client-lambda';
import { COMPONENTS, isOwnedBy, names, nonceTags, ownershipTags, type DesiredState } from '../../../spec';
import { containerEnvironment } from '../../../spec/environment';
import { requireArn } from '../common/dependency-refs';
import { sendOnceShown } from '../common/dependency-not-there';
import type { Intent } from '../intent';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type {
  AttributeChange,
  ErrorCodes,
  ObservedResource,
  ResourceContext,
  StackResource,
  StateWaiter,
  Waiters,
} from '../types';
import { updateApplied } from '../common/waiters';
import { RESOURCE_KEYS } from '../keys';

const KEY = RESOURCE_KEYS.lambdaFunction;
const TYPE = 'AWS::Lambda::Function';
const ROLE_KEY = COMPONENTS.lambdaRole;

const ROLE_NOT_ASSUMABLE_YET = {
  code: 'InvalidParameterValueException',
  message: /role defined for the function cannot be assumed by Lambda/i,
};

export const lambdaFunctionErrors: ErrorCodes = {
  notFound: ['ResourceNotFoundException'],
  // An update (or the creation) is still in progress; CreateFunction on a function a dead pass created.
  retryable: ['ResourceConflictException', 'TooManyRequestsException', 'EC2ThrottledException'],
  terminal: [
    'InvalidParameterValueException',
    'CodeStorageExceededException',
    'CodeVerificationFailedException',
    'InvalidCodeSignatureException',
    'ResourceNotReadyException',
    'PreconditionFailedException',
    'AccessDeniedException',
  ],
  // IAM propagation: a role created seconds ago is not yet assumable by Lambda.
  retryableWhen: [ROLE_NOT_ASSUMABLE_YET],
};

/**
 * Sends a create or update naming the role: the role not assumable yet, expected on every first apply
 * (made in the same pass; IAM is eventually consistent), is waited for as a dependency not there.
 */
const sendNamingRole = <T>(send: () => Promise<T>): Promise<T> =>
  sendOnceShown(
    ROLE_KEY,
    ROLE_NOT_ASSUMABLE_YET,
    (message) => `${ROLE_KEY} not assumable by Lambda yet (${message})`,
    send,
  );

/** One environment variable; a sorted list, so that the diff sees removed variables too (it compares arrays whole). */
export interface EnvironmentEntry {
  name: string;
  value: string;
}

/** What dependents read from the function's `extra`. */
export interface LambdaFunctionExtra {
  functionName: string;
  functionArn: string;
}

/**
 * The user's variables and LambdaFlex's (`LAMBDAFLEX_STACK`, `LAMBDAFLEX_TABLE`, the API token's hash):
 * the same as the task's.
 */
export function functionEnvironment(spec: DesiredState, intent: Intent): Record<string, string> {
  return containerEnvironment(spec, intent.stateTable);
}

function environmentEntries(variables: Record<string, string> | undefined): EnvironmentEntry[] {
  return Object.entries(variables ?? {})
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function desiredAttributes(
  spec: DesiredState,
  refs: ResourceContext['refs'],
  intent: Intent,
): Record<string, unknown> {
  return {
    functionName: names(spec.stack).lambdaFunction,
    packageType: 'Image',
    imageUri: spec.image,
    memoryMb: spec.lambda.memoryMb,
    timeoutSeconds: spec.lambda.timeoutSeconds,
    environment: environmentEntries(functionEnvironment(spec, intent)),
    // null, not undefined: "no reservation" must be compared too (the diff skips undefined).
    reservedConcurrency: spec.lambda.reservedConcurrency ?? null,
    role: refs[ROLE_KEY]?.arn,
  };
}

/**
 * Lambda's two state fields (Lambda developer guide, "Lambda function states"): State while the function
 * is made, LastUpdateStatus while a change is applied. An Inactive function (idle for weeks) is ready: its
 * next invocation makes it Active again. A word outside both lists (Failed) means the create or the update
 * failed.
 */
const FUNCTION_STATE: StateWaiter = { pending: ['Pending'], target: ['Active', 'Inactive'] };
const LAST_UPDATE_STATUS: StateWaiter = { pending: ['InProgress'], target: ['Successful'] };
const WAITERS: Waiters = { ready: FUNCTION_STATE, updated: LAST_UPDATE_STATUS };

function readiness(config: FunctionConfiguration): { ready: boolean; reason?: string } {
  const state = config.State;
  if (state !== undefined && !FUNCTION_STATE.target.includes(state)) {
    const why = FUNCTION_STATE.pending.includes(state) ? 'being created' : 'unknown reason';
    return { ready: false, reason: `function ${state}: ${config.StateReason ?? why}` };
  }
  const update = config.LastUpdateStatus;
  if (updateApplied(LAST_UPDATE_STATUS, update)) return { ready: true };
  if (update !== undefined && LAST_UPDATE_STATUS.pending.includes(update))
    return { ready: false, reason: 'function update in progress' };
  return {
    ready: false,
    reason: `function update failed: ${config.LastUpdateStatusReason ?? 'unknown reason'}`,
  };
}

function observe(
  config: FunctionConfiguration,
  imageUri: string | undefined,
  reservedConcurrency: number | undefined,
  tags: Record<string, string>,
  stack: string,
): ObservedResource<LambdaFunctionExtra> {
  const { ready, reason } = readiness(config);
  const extra: LambdaFunctionExtra = { functionName: config.FunctionName!, functionArn: config.FunctionArn! };
  return {
    key: KEY,
    type: TYPE,
    id: config.FunctionName!,
    arn: config.FunctionArn,
    state: config.State,
    tags,
    attributes: {
      functionName: config.FunctionName,
      packageType: config.PackageType,
      imageUri,
      memoryMb: config.MemorySize,
      timeoutSeconds: config.Timeout,
      environment: environmentEntries(config.Environment?.Variables),
      reservedConcurrency: reservedConcurrency ?? null,
      role: config.Role,
    },
    ready,
    notReadyReason: reason,
    foreign: !isOwnedBy(tags, stack),
    extra,
  };
}

function observeAnswer(
  answer: GetFunctionResponse,
  stack: string,
): ObservedResource<LambdaFunctionExtra> | undefined {
  const config = answer.Configuration;
  if (!config?.FunctionName || !config.FunctionArn) return undefined;
  return observe(
    config,
    answer.Code?.ImageUri,
    answer.Concurrency?.ReservedConcurrentExecutions,
    { ...(answer.Tags ?? {}) },
    stack,
  );
}

async function find(ctx: ResourceContext): Promise<ObservedResource<LambdaFunctionExtra> | undefined> {
  const name = names(ctx.spec.stack).lambdaFunction;
  // GetFunction answers configuration, code location, tags and reserved concurrency in one call.
  const answer = await orUndefinedIfGone(
    () => ctx.clients.lambda.send(new GetFunctionCommand({ FunctionName: name })),
    lambdaFunctionErrors,
  );
  return answer ? observeAnswer(answer, ctx.spec.stack) : undefined;
}

async function setReservedConcurrency(ctx: ResourceContext, functionName: string): Promise<void> {
  const wanted = ctx.spec.lambda.reservedConcurrency;
  if (wanted === undefined) {
    await ctx.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: functionName }));
    return;
  }
  await ctx.clients.lambda.send(
    new PutFunctionConcurrencyCommand({ FunctionName: functionName, ReservedConcurrentExecutions: wanted }),
  );
}

async function create(ctx: ResourceContext): Promise<ObservedResource<LambdaFunctionExtra>> {
  const { spec } = ctx;
  const config = await sendNamingRole(() =>
    ctx.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: names(spec.stack).lambdaFunction,
        PackageType: 'Image',
        Code: { ImageUri: spec.image },
        Role: requireArn(ctx.refs, ROLE_KEY, KEY),
        MemorySize: spec.lambda.memoryMb,
        Timeout: spec.lambda.timeoutSeconds,
        Environment: { Variables: functionEnvironment(spec, ctx.intent) },
        Description: `LambdaFlex ${spec.stack}: the Lambda tier`,
        Tags: { ...ownershipTags(spec.stack, KEY), ...nonceTags(ctx.nonce) },
      }),
    ),
  );
  if (!config.FunctionName || !config.FunctionArn)
    throw new Error(`CreateFunction returned no function for ${KEY}`);
  ctx.answered?.(config.FunctionName);
  // A crash before this call leaves no reservation: the next pass sees reservedConcurrency drift.
  if (spec.lambda.reservedConcurrency !== undefined) await setReservedConcurrency(ctx, config.FunctionName);
  return observe(
    config,
    spec.image,
    spec.lambda.reservedConcurrency,
    { ...ownershipTags(spec.stack, KEY), ...nonceTags(ctx.nonce) },
    spec.stack,
  );
}

const CONFIGURATION_PATHS = ['memoryMb', 'timeoutSeconds', 'environment', 'role'];

async function update(
  ctx: ResourceContext,
  current: ObservedResource<LambdaFunctionExtra>,
  changes: AttributeChange[],
): Promise<ObservedResource<LambdaFunctionExtra>> {
  assertOwned(current, 'updating');
  const { spec, clients } = ctx;
  const functionName = current.id;
  const changed = (paths: string[]) => changes.some((change) => paths.includes(change.path.split('.')[0]!));
  // Concurrency is not a function update: Lambda takes it even while code or configuration is changing.
  if (changed(['reservedConcurrency'])) await setReservedConcurrency(ctx, functionName);
  if (changed(CONFIGURATION_PATHS)) {
    await sendNamingRole(() =>
      clients.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: functionName,
          MemorySize: spec.lambda.memoryMb,
          Timeout: spec.lambda.timeoutSeconds,
          Environment: { Variables: functionEnvironment(spec, ctx.intent) },
          Role: requireArn(ctx.refs, ROLE_KEY, KEY),
        }),
      ),
    );
  } else if (changed(['imageUri'])) {
    await clients.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: functionName, ImageUri: spec.image }),
    );
  }
  return (await find(ctx)) ?? current;
}

async function remove(ctx: ResourceContext, current: ObservedResource<LambdaFunctionExtra>): Promise<void> {
  assertOwned(current, 'deleting');
  await deleteIgnoringGone(
    () => ctx.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: current.id })),
    lambdaFunctionErrors,
  );
}

/**
 * @example
 * lambdaFunctionResource.desiredAttributes(spec, refs).environment; // [{ name: 'LAMBDAFLEX_STACK', value: 'orders-api' }, …]
 */
export const lambdaFunctionResource: StackResource<typeof KEY> = {
  key: KEY,
  type: TYPE,
  service: 'lambda',
  steadyCheck: 'tagged',
  creates: 'name',
  tier: 'lambda',
  dependsOn: [ROLE_KEY],
  waiters: WAITERS,
  errors: lambdaFunctionErrors,
  // A Zip function can't become an Image function in place.
  immutable: ['functionName', 'packageType'],
  neededBy: () => true,
  desiredAttributes,
  find,
  create,
  update,
  delete: remove,
};
