/** Lambda function operations: create, read, update, delete, list and tags. */
import type { Operation, OperationContext } from '../../core/service';
import { paginate } from '../../core/pagination';
import { checkEnvironment } from './environment';
import type { IamState } from '../iam/state';
import { MEMORY_RANGE, TIMEOUT_RANGE, type LambdaFunctionRecord, type LambdaState } from './state';
import { configurationOf, functionNameOf, stateOf, updateInProgress } from './view';

type Ctx = OperationContext<LambdaState>;
type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function findFunction(ctx: Ctx, reference: unknown): LambdaFunctionRecord {
  const name = functionNameOf(String(reference ?? ''));
  const fn = ctx.state.functions[name];
  if (!fn) {
    return ctx.fail(
      'ResourceNotFoundException',
      `Function not found: ${ctx.account.arn('lambda', `function:${name}`)}`,
      {
        httpStatusCode: 404,
      },
    );
  }
  return fn;
}

function checkSizes(ctx: Ctx, input: Input): void {
  if (
    input.MemorySize !== undefined &&
    !(input.MemorySize >= MEMORY_RANGE.min && input.MemorySize <= MEMORY_RANGE.max)
  ) {
    ctx.fail(
      'InvalidParameterValueException',
      `'MemorySize' value failed to satisfy constraint: Member must have value between ${MEMORY_RANGE.min} and ${MEMORY_RANGE.max}`,
    );
  }
  if (
    input.Timeout !== undefined &&
    !(input.Timeout >= TIMEOUT_RANGE.min && input.Timeout <= TIMEOUT_RANGE.max)
  ) {
    ctx.fail(
      'InvalidParameterValueException',
      `'Timeout' value failed to satisfy constraint: Member must have value between ${TIMEOUT_RANGE.min} and ${TIMEOUT_RANGE.max}`,
    );
  }
}

/** Updates are refused while the function is Pending or another update runs (Lambda function states). */
function beginUpdate(ctx: Ctx, fn: LambdaFunctionRecord): void {
  if (stateOf(fn, ctx.now) === 'Pending') {
    ctx.fail(
      'ResourceConflictException',
      'The operation cannot be performed at this time. The function is currently in the following state: Pending',
      { httpStatusCode: 409 },
    );
  }
  if (updateInProgress(fn, ctx.now)) {
    ctx.fail(
      'ResourceConflictException',
      `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`,
      { httpStatusCode: 409 },
    );
  }
  fn.updateDoneAt = ctx.now + ctx.state.config.updateMs;
  fn.lastModified = ctx.now;
  fn.revision += 1;
}

/**
 * Lambda runs a container image only from a private Amazon ECR repository in the function's own region
 * (another account's there too, given its permission): not another registry, not ECR Public, not a FIPS
 * endpoint. AWS answers any other with this refusal at CreateFunction and UpdateFunctionCode
 * ("Create a Lambda function using a container image"; the message as users report it; for another
 * region's repository taken to be the same answer).
 */
function checkImage(ctx: Ctx, imageUri: unknown): void {
  const uri = String(imageUri);
  const host = `.dkr.ecr.${ctx.account.region}.${ctx.account.dnsSuffix}/`;
  const registry = /^(\d{12})(\.dkr\.ecr\.[^/]+\/)/.exec(uri);
  if (registry?.[2] !== host) {
    ctx.fail(
      'InvalidParameterValueException',
      `Source image ${uri} is not valid. Provide a valid source image.`,
    );
  }
}

/**
 * IAM is eventually consistent ("changes … take time to become visible"): Lambda can't assume a role
 * made a moment ago, and answers as users report it, InvalidParameterValueException "The role defined for
 * the function cannot be assumed by Lambda." The simulator holds a role of its IAM younger than the
 * account's consistency delay (the model EC2's reads follow; AWS gives no figure). A role its IAM does not
 * hold is taken as given (tests name roles they never made), where AWS refuses it with the same answer.
 */
function checkRoleAssumable(ctx: OperationContext<LambdaState>, roleArn: unknown): void {
  const name = /:role\/(?:.*\/)?([^/]+)$/.exec(String(roleArn))?.[1]?.toLowerCase();
  const role = name === undefined ? undefined : ctx.account.stateOf<IamState>('iam').roles[name];
  if (role && !ctx.account.isVisible(role.createdAt)) {
    ctx.fail(
      'InvalidParameterValueException',
      'The role defined for the function cannot be assumed by Lambda.',
    );
  }
}

export const functionOperations: Record<string, Operation<LambdaState>> = {
  CreateFunction: {
    mutating: true,
    required: ['FunctionName', 'Role', 'Code'],
    handle: (input, ctx) => {
      const name = functionNameOf(String(input.FunctionName));
      if (!/^[a-zA-Z0-9-_]{1,64}$/.test(name)) {
        ctx.fail('InvalidParameterValueException', `Invalid function name: ${name}`);
      }
      if (ctx.state.functions[name]) {
        ctx.fail('ResourceConflictException', `Function already exist: ${name}`, { httpStatusCode: 409 });
      }
      const packageType = input.PackageType === 'Image' ? 'Image' : 'Zip';
      if (packageType === 'Image' && !input.Code?.ImageUri) {
        ctx.fail('InvalidParameterValueException', 'Please provide ImageUri when PackageType is Image.');
      }
      if (packageType === 'Image') checkImage(ctx, input.Code?.ImageUri);
      checkRoleAssumable(ctx, input.Role);
      checkSizes(ctx, input);
      checkEnvironment(ctx, input.Environment?.Variables);
      const fn: LambdaFunctionRecord = {
        name,
        arn: ctx.account.arn('lambda', `function:${name}`),
        role: String(input.Role),
        packageType,
        imageUri: input.Code?.ImageUri,
        memorySize: input.MemorySize ?? 128,
        timeout: input.Timeout ?? 3,
        environment: { ...(input.Environment?.Variables ?? {}) },
        architectures: input.Architectures ?? ['x86_64'],
        description: input.Description ?? '',
        tags: { ...(input.Tags ?? {}) },
        createdAt: ctx.now,
        activeAt: ctx.now + ctx.state.config.activationMs,
        lastModified: ctx.now,
        revision: 1,
        policy: [],
      };
      ctx.state.functions[name] = fn;
      return configurationOf(fn, ctx.now);
    },
  },
  GetFunction: {
    mutating: false,
    required: ['FunctionName'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      return {
        Configuration: configurationOf(fn, ctx.now),
        Code: fn.imageUri
          ? { RepositoryType: 'ECR', ImageUri: fn.imageUri, ResolvedImageUri: fn.imageUri }
          : { RepositoryType: 'S3' },
        Tags: { ...fn.tags },
        ...(fn.reservedConcurrency === undefined
          ? {}
          : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
      };
    },
  },
  GetFunctionConfiguration: {
    mutating: false,
    required: ['FunctionName'],
    handle: (input, ctx) => configurationOf(findFunction(ctx, input.FunctionName), ctx.now),
  },
  UpdateFunctionCode: {
    mutating: true,
    required: ['FunctionName'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      if (fn.packageType === 'Image' && !input.ImageUri) {
        ctx.fail(
          'InvalidParameterValueException',
          'Please provide ImageUri when updating a function with package type Image.',
        );
      }
      if (input.ImageUri) checkImage(ctx, input.ImageUri);
      beginUpdate(ctx, fn);
      if (input.ImageUri) fn.imageUri = String(input.ImageUri);
      return configurationOf(fn, ctx.now);
    },
  },
  UpdateFunctionConfiguration: {
    mutating: true,
    required: ['FunctionName'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      if (input.Role !== undefined) checkRoleAssumable(ctx, input.Role);
      checkSizes(ctx, input);
      checkEnvironment(ctx, input.Environment?.Variables);
      beginUpdate(ctx, fn);
      if (input.MemorySize !== undefined) fn.memorySize = input.MemorySize;
      if (input.Timeout !== undefined) fn.timeout = input.Timeout;
      if (input.Role !== undefined) fn.role = String(input.Role);
      if (input.Description !== undefined) fn.description = String(input.Description);
      if (input.Environment !== undefined) fn.environment = { ...(input.Environment.Variables ?? {}) };
      return configurationOf(fn, ctx.now);
    },
  },
  DeleteFunction: {
    mutating: true,
    required: ['FunctionName'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      delete ctx.state.functions[fn.name];
    },
  },
  ListFunctions: {
    mutating: false,
    handle: (input, ctx) => {
      const all = Object.values(ctx.state.functions).sort((a, b) => a.name.localeCompare(b.name));
      const page = paginate(all, input.Marker, input.MaxItems, 50);
      return { Functions: page.items.map((fn) => configurationOf(fn, ctx.now)), NextMarker: page.nextToken };
    },
  },
  TagResource: {
    mutating: true,
    required: ['Resource', 'Tags'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.Resource);
      Object.assign(fn.tags, input.Tags);
    },
  },
  UntagResource: {
    mutating: true,
    required: ['Resource', 'TagKeys'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.Resource);
      for (const key of input.TagKeys as string[]) delete fn.tags[key];
    },
  },
  ListTags: {
    mutating: false,
    required: ['Resource'],
    handle: (input, ctx) => ({ Tags: { ...findFunction(ctx, input.Resource).tags } }),
  },
};
