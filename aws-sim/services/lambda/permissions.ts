/** A function's resource-based policy (AddPermission, RemovePermission, GetPolicy) and its reserved concurrency. */
import type { Operation } from '../../core/service';
import { findFunction } from './functions';
import { MIN_UNRESERVED_CONCURRENCY, type LambdaState, type PolicyStatement } from './state';

export const permissionOperations: Record<string, Operation<LambdaState>> = {
  AddPermission: {
    mutating: true,
    required: ['FunctionName', 'StatementId', 'Action', 'Principal'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      const sid = String(input.StatementId);
      if (fn.policy.some((s) => s.Sid === sid)) {
        ctx.fail(
          'ResourceConflictException',
          `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          { httpStatusCode: 409 },
        );
      }
      const principal = String(input.Principal);
      const statement: PolicyStatement = {
        Sid: sid,
        Effect: 'Allow',
        Principal: /^\d{12}$|^arn:/.test(principal) ? { AWS: principal } : { Service: principal },
        Action: String(input.Action),
        Resource: fn.arn,
        ...(input.SourceArn ? { Condition: { ArnLike: { 'AWS:SourceArn': String(input.SourceArn) } } } : {}),
      };
      fn.policy.push(statement);
      return { Statement: JSON.stringify(statement) };
    },
  },
  RemovePermission: {
    mutating: true,
    required: ['FunctionName', 'StatementId'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      if (fn.policy.length === 0) {
        ctx.fail('ResourceNotFoundException', 'No policy is associated with the given resource.', {
          httpStatusCode: 404,
        });
      }
      const index = fn.policy.findIndex((s) => s.Sid === input.StatementId);
      if (index < 0) {
        ctx.fail(
          'ResourceNotFoundException',
          `Statement ${String(input.StatementId)} is not found in resource policy.`,
          {
            httpStatusCode: 404,
          },
        );
      }
      fn.policy.splice(index, 1);
    },
  },
  GetPolicy: {
    mutating: false,
    required: ['FunctionName'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      if (fn.policy.length === 0) {
        ctx.fail('ResourceNotFoundException', 'The resource you requested does not exist.', {
          httpStatusCode: 404,
        });
      }
      return {
        Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: fn.policy }),
        RevisionId: `rev-${fn.revision}`,
      };
    },
  },
  PutFunctionConcurrency: {
    mutating: true,
    required: ['FunctionName', 'ReservedConcurrentExecutions'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      const wanted = Number(input.ReservedConcurrentExecutions);
      if (!Number.isInteger(wanted) || wanted < 0) {
        ctx.fail(
          'InvalidParameterValueException',
          'ReservedConcurrentExecutions must be a non-negative integer.',
        );
      }
      const reservedByOthers = Object.values(ctx.state.functions)
        .filter((other) => other.name !== fn.name)
        .reduce((sum, other) => sum + (other.reservedConcurrency ?? 0), 0);
      if (ctx.state.config.accountConcurrencyLimit - reservedByOthers - wanted < MIN_UNRESERVED_CONCURRENCY) {
        ctx.fail(
          'InvalidParameterValueException',
          `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED_CONCURRENCY}].`,
        );
      }
      fn.reservedConcurrency = wanted;
      return { ReservedConcurrentExecutions: wanted };
    },
  },
  GetFunctionConcurrency: {
    mutating: false,
    required: ['FunctionName'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      return fn.reservedConcurrency === undefined
        ? {}
        : { ReservedConcurrentExecutions: fn.reservedConcurrency };
    },
  },
  DeleteFunctionConcurrency: {
    mutating: true,
    required: ['FunctionName'],
    handle: (input, ctx) => {
      delete findFunction(ctx, input.FunctionName).reservedConcurrency;
    },
  },
};
