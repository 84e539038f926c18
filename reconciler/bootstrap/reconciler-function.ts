/**
 * The reconciler Lambda, from the bundle's zip (scripts/bundle.mjs). Lambda does not hand back the code,
 * and CodeSha256 is computed differently by some AWS-compatible endpoints, so the deployed bundle's
 * SHA-256 is kept in a tag of ours and compared with the zip in hand.
 */
import { createHash } from 'node:crypto';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { isOwnedBy, nonceTags, TAG_NONCE } from '../../spec/names';
import { NODE_LAMBDA_RUNTIME } from '../runtime/lambda-runtimes';
import { assertOwned } from '../resources/common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemResource, SystemContext } from './system-spec';
import { HANDLER_ENV, SYSTEM_NAMES, SYSTEM_STACK, systemTags } from './names';
import { WORK_QUEUE } from '../iam/scopes';
import { WORK_QUEUE_KEY, WORK_QUEUE_SETTINGS } from './work-queue';

export const FUNCTION_KEY = 'function';
export const CODE_TAG = 'lambdaflex:code-sha256';
const TYPE = 'AWS::Lambda::Function';

export interface FunctionSettings {
  zip: Uint8Array;
  tableName: string;
  memoryMb: number;
  timeoutSeconds: number;
  parallelism: number;
}

const ERRORS: ErrorCodes = {
  notFound: ['ResourceNotFoundException'],
  retryable: ['ResourceConflictException', 'TooManyRequestsException'],
  terminal: ['CodeStorageExceededException', 'InvalidParameterValueException'],
  // IAM is eventually consistent: a role created seconds ago "cannot be assumed by Lambda" for a while.
  retryableWhen: [{ code: 'InvalidParameterValueException', message: /cannot be assumed|role/i }],
};

export const codeSha256 = (zip: Uint8Array) => createHash('sha256').update(zip).digest('hex');

function environment(settings: FunctionSettings, refs: SystemContext['refs']): Record<string, string> {
  return {
    [HANDLER_ENV.table]: settings.tableName,
    // The work queue: with it the schedule dispatches and workers reconcile (reconciler/dispatch/).
    [HANDLER_ENV.queueUrl]: refs[WORK_QUEUE_KEY]?.id ?? '',
    [HANDLER_ENV.maxReceiveCount]: String(WORK_QUEUE_SETTINGS.maxReceiveCount),
    [HANDLER_ENV.deadLetterQueue]: WORK_QUEUE.deadLetter,
    [HANDLER_ENV.schedulerRoleArn]: refs['scheduler-role']?.arn ?? '',
    [HANDLER_ENV.parallelism]: String(settings.parallelism),
    POWERTOOLS_SERVICE_NAME: 'lambdaflex-reconciler',
    POWERTOOLS_METRICS_NAMESPACE: 'LambdaFlex',
    NODE_OPTIONS: '--enable-source-maps',
  };
}

export function reconcilerFunctionResource(settings: FunctionSettings): SystemResource {
  const name = SYSTEM_NAMES.function;
  const sha = codeSha256(settings.zip);
  const config = (refs: SystemContext['refs']) => ({
    Role: refs['reconciler-role']?.arn,
    Runtime: NODE_LAMBDA_RUNTIME,
    Handler: 'index.handler',
    MemorySize: settings.memoryMb,
    Timeout: settings.timeoutSeconds,
    Environment: { Variables: environment(settings, refs) },
  });

  const observe = (fn: FunctionConfiguration, tags: Record<string, string>): ObservedResource => {
    // Lambda gives a function no identity of its own (its ARN is the name's; RevisionId changes with every
    // update): its identity (proven.ts) is the nonce it was created with, recorded before the create.
    const base = {
      key: FUNCTION_KEY,
      type: TYPE,
      id: name,
      arn: fn.FunctionArn,
      uniqueId: tags[TAG_NONCE],
      state: fn.State,
      tags,
    };
    if (!isOwnedBy(tags, SYSTEM_STACK)) return { ...base, attributes: {}, ready: true, foreign: true };
    const busy = fn.State !== 'Active' || fn.LastUpdateStatus === 'InProgress';
    return {
      ...base,
      attributes: {
        role: fn.Role,
        memoryMb: fn.MemorySize,
        timeoutSeconds: fn.Timeout,
        environment: fn.Environment?.Variables ?? {},
        codeSha256: tags[CODE_TAG],
      },
      ready: !busy,
      notReadyReason: busy ? notReadyReason(fn) : undefined,
    };
  };

  const find = async (ctx: SystemContext) => {
    const answer = await orUndefinedIfGone(
      () => ctx.clients.lambda.send(new GetFunctionCommand({ FunctionName: name })),
      ERRORS,
    );
    return answer?.Configuration ? observe(answer.Configuration, answer.Tags ?? {}) : undefined;
  };

  return {
    key: FUNCTION_KEY,
    type: TYPE,
    service: 'lambda',
    dependsOn: ['table', 'reconciler-role', 'scheduler-role', WORK_QUEUE_KEY],
    errors: ERRORS,
    neededBy: () => true,
    desiredAttributes: (_spec, refs) => ({
      role: refs['reconciler-role']?.arn,
      memoryMb: settings.memoryMb,
      timeoutSeconds: settings.timeoutSeconds,
      environment: environment(settings, refs),
      codeSha256: sha,
    }),
    find,
    async create(ctx) {
      const answer = await ctx.clients.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          ...config(ctx.refs),
          Code: { ZipFile: settings.zip },
          PackageType: 'Zip',
          Architectures: ['arm64'],
          Description: 'LambdaFlex reconciler: makes every stack match its desired state',
          Tags: { ...systemTags(FUNCTION_KEY), [CODE_TAG]: sha, ...nonceTags(ctx.nonce) },
        }),
      );
      return observe(answer, { ...systemTags(FUNCTION_KEY), [CODE_TAG]: sha, ...nonceTags(ctx.nonce) });
    },
    async update(ctx, current, changes) {
      assertOwned(current, 'updating');
      const lambda = ctx.clients.lambda;
      const codeChanged = changes.some((c) => c.path === 'codeSha256');
      if (codeChanged) {
        await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: settings.zip }));
        // The tag only after the code: a crash in between makes the next pass upload again, not skip.
        await lambda.send(new TagResourceCommand({ Resource: current.arn!, Tags: { [CODE_TAG]: sha } }));
      }
      if (changes.some((c) => c.path !== 'codeSha256')) {
        // Lambda refuses a second update while one is in progress (ResourceConflictException, retried).
        await lambda.send(
          new UpdateFunctionConfigurationCommand({ FunctionName: name, ...config(ctx.refs) }),
        );
      }
      return (await find(ctx)) ?? current;
    },
    async delete(ctx, current) {
      assertOwned(current, 'deleting');
      await deleteIgnoringGone(
        () => ctx.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: name })),
        ERRORS,
      );
    },
  };
}

/** Gives a function adopted from a release before ledgers its nonce (proven.ts `stamp`). */
export async function stampFunction(
  ctx: SystemContext,
  current: ObservedResource,
  nonce: string,
): Promise<void> {
  await ctx.clients.lambda.send(
    new TagResourceCommand({ Resource: current.arn!, Tags: { [TAG_NONCE]: nonce } }),
  );
}

/**
 * Why the function is not ready, in Lambda's words: while it is created, State Pending with its
 * StateReason and no LastUpdateStatus at all (Lambda sets it first once creation completes: "Lambda function states" in its guide);
 * while an update runs, LastUpdateStatus InProgress with its own reason.
 */
function notReadyReason(fn: {
  State?: string;
  StateReason?: string;
  LastUpdateStatus?: string;
  LastUpdateStatusReason?: string;
}): string {
  const said = (reason: string | undefined) =>
    reason ? ` (${reason.charAt(0).toLowerCase()}${reason.slice(1).replace(/\.$/, '')})` : '';
  if (fn.State !== 'Active') return `function is ${fn.State ?? 'in no state yet'}${said(fn.StateReason)}`;
  return `function update is ${fn.LastUpdateStatus ?? 'in progress'}${said(fn.LastUpdateStatusReason)}`;
}
