/**
 * The reconciler function's event source mappings: the work queue (workers) and the table's stream
 * (the dispatcher on edits). A mapping carries no tags here; it is found by its function and source,
 * which Lambda allows one mapping for, and is ours when the function is.
 *
 * A mapping being deleted (State Deleting) counts as gone; one still Creating or Updating is not ready,
 * and a change meanwhile (ResourceInUseException) is retried by the next pass.
 */
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
} from '@aws-sdk/client-lambda';
import { assertOwned } from '../resources/common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes, ObservedResource } from '../resources/types';
import type { SystemResource, SystemContext } from './system-spec';
import { SYSTEM_NAMES, systemTags } from './names';
import { FUNCTION_KEY } from './reconciler-function';

const TYPE = 'AWS::Lambda::EventSourceMapping';

const ERRORS: ErrorCodes = {
  notFound: ['ResourceNotFoundException'],
  // ResourceConflictException: a pass died between creating it and seeing it; the next find sees it.
  retryable: ['ResourceInUseException', 'ResourceConflictException', 'TooManyRequestsException'],
  terminal: ['InvalidParameterValueException'],
  // The function's role may not show its new permissions to Lambda for a few seconds (IAM propagation).
  retryableWhen: [
    {
      code: 'InvalidParameterValueException',
      message: /execution role does not have permissions|cannot be assumed/i,
    },
  ],
};

export interface MappingSettings {
  batchSize: number;
  /** SQS only: how many invocations at once. */
  maximumConcurrency?: number;
  /** Streams only. */
  startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Streams only: a failing batch is retried this many times, split in two each time, then skipped. */
  maximumRetryAttempts?: number;
}

interface MappingOptions {
  key: string;
  /** The kind whose ARN is the event source. */
  sourceKey: string;
  /** Recognises the source's ARN when its kind is gone already (a destroy finished half-way). */
  sourceArnPattern: RegExp;
  settings: MappingSettings;
}

function attributesOf(m: EventSourceMappingConfiguration): Record<string, unknown> {
  return {
    batchSize: m.BatchSize,
    maximumConcurrency: m.ScalingConfig?.MaximumConcurrency,
    reportBatchItemFailures: (m.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    ...(m.StartingPosition ? { startingPosition: m.StartingPosition } : {}),
    ...(m.MaximumRetryAttempts === undefined ? {} : { maximumRetryAttempts: m.MaximumRetryAttempts }),
  };
}

function desiredOf(settings: MappingSettings): Record<string, unknown> {
  return {
    batchSize: settings.batchSize,
    maximumConcurrency: settings.maximumConcurrency,
    reportBatchItemFailures: true,
    ...(settings.startingPosition ? { startingPosition: settings.startingPosition } : {}),
    ...(settings.maximumRetryAttempts === undefined
      ? {}
      : { maximumRetryAttempts: settings.maximumRetryAttempts }),
  };
}

export function eventSourceMappingResource(options: MappingOptions): SystemResource {
  const { key, settings } = options;
  const find = async (ctx: SystemContext): Promise<ObservedResource | undefined> => {
    const sourceArn = ctx.refs[options.sourceKey]?.arn;
    const listed = await orUndefinedIfGone(
      () =>
        ctx.clients.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: SYSTEM_NAMES.function })),
      ERRORS,
    );
    const mapping = (listed?.EventSourceMappings ?? []).find((m) =>
      sourceArn ? m.EventSourceArn === sourceArn : options.sourceArnPattern.test(m.EventSourceArn ?? ''),
    );
    if (!mapping?.UUID || mapping.State === 'Deleting') return undefined;
    const ready = mapping.State === 'Enabled';
    return {
      key,
      type: TYPE,
      id: mapping.UUID,
      ...(mapping.EventSourceMappingArn ? { arn: mapping.EventSourceMappingArn } : {}),
      state: mapping.State,
      tags: systemTags(key),
      attributes: attributesOf(mapping),
      ready,
      ...(ready ? {} : { notReadyReason: `event source mapping is ${mapping.State}` }),
      // Ours when the function is (one mapping per function and source).
      ...(ctx.refs[FUNCTION_KEY]?.foreign ? { foreign: true } : {}),
      extra: { eventSourceArn: mapping.EventSourceArn },
    };
  };
  const scaling = settings.maximumConcurrency
    ? { ScalingConfig: { MaximumConcurrency: settings.maximumConcurrency } }
    : {};
  return {
    key,
    type: TYPE,
    service: 'lambda',
    dependsOn: [FUNCTION_KEY, options.sourceKey],
    errors: ERRORS,
    immutable: ['startingPosition'],
    neededBy: () => true,
    desiredAttributes: () => desiredOf(settings),
    find,
    async create(ctx) {
      const sourceArn = ctx.refs[options.sourceKey]?.arn;
      if (!sourceArn) throw new Error(`creating ${TYPE} (${key}): the event source is not known yet`);
      await ctx.clients.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: SYSTEM_NAMES.function,
          EventSourceArn: sourceArn,
          BatchSize: settings.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ...scaling,
          ...(settings.startingPosition ? { StartingPosition: settings.startingPosition } : {}),
          ...(settings.maximumRetryAttempts === undefined
            ? {}
            : { MaximumRetryAttempts: settings.maximumRetryAttempts, BisectBatchOnFunctionError: true }),
        }),
      );
      return (await find(ctx))!;
    },
    async update(ctx, current) {
      assertOwned(current, 'updating');
      await ctx.clients.lambda.send(
        new UpdateEventSourceMappingCommand({
          UUID: current.id,
          BatchSize: settings.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ...scaling,
          ...(settings.maximumRetryAttempts === undefined
            ? {}
            : { MaximumRetryAttempts: settings.maximumRetryAttempts }),
        }),
      );
      return (await find(ctx)) ?? current;
    },
    async delete(ctx, current) {
      assertOwned(current, 'deleting');
      await deleteIgnoringGone(
        () => ctx.clients.lambda.send(new DeleteEventSourceMappingCommand({ UUID: current.id })),
        ERRORS,
      );
    },
  };
}
