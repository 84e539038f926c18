/**
 * Lambda event source mappings for SQS queues and DynamoDB streams, as the Lambda API reference and
 * "Lambda parameters for Amazon SQS event source mappings" document them:
 *
 * - one mapping per function and event source (a second is a ResourceConflictException naming the first);
 * - SQS: BatchSize up to 10 for a FIFO queue (10,000 for a standard one, above 10 only with a batching
 *   window), no batching window for FIFO, ScalingConfig.MaximumConcurrency 2–1000, no StartingPosition;
 * - streams: StartingPosition required, BatchSize up to 10,000 (default 100), no ScalingConfig;
 * - the mapping is Creating, Updating, Enabling, Disabling or Deleting for a while (a change meanwhile is a
 *   ResourceInUseException), then Enabled or Disabled; a deleted one is gone once Deleting ends.
 *
 * Delivering events is not the API's business: aws-sim/runtime/event-sources.ts polls the enabled mappings.
 */
import type { Operation, OperationContext } from '../../core/service';
import { paginate } from '../../core/pagination';
import type { SqsState } from '../sqs/state';
import { queueByArn } from '../sqs/queues';
import { findFunction } from './functions';
import type { LambdaState } from './state';

type Ctx = OperationContext<LambdaState>;
type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How long a mapping stays in a transitional state (no AWS figure: seconds). */
export const MAPPING_TRANSITION_MS = 2_000;

export interface EventSourceMappingRecord {
  uuid: string;
  arn: string;
  functionName: string;
  functionArn: string;
  eventSourceArn: string;
  kind: 'sqs' | 'dynamodb';
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  enabled: boolean;
  startingPosition?: string;
  maximumConcurrency?: number;
  functionResponseTypes: string[];
  maximumRetryAttempts?: number;
  bisectBatchOnFunctionError?: boolean;
  parallelizationFactor?: number;
  /** The transitional state and when it ends; afterwards Enabled / Disabled (or gone, for Deleting). */
  transition?: { state: 'Creating' | 'Updating' | 'Enabling' | 'Disabling' | 'Deleting'; until: number };
  lastModified: number;
}

export function mappingsOf(state: LambdaState): Record<string, EventSourceMappingRecord> {
  return (state.eventSourceMappings ??= {});
}

/** Ends transitions that are over (a Deleting mapping disappears). */
export function refreshMappings(state: LambdaState, now: number): void {
  const mappings = mappingsOf(state);
  for (const m of Object.values(mappings)) {
    if (m.transition && now >= m.transition.until) {
      if (m.transition.state === 'Deleting') delete mappings[m.uuid];
      else delete m.transition;
    }
  }
}

export function mappingState(m: EventSourceMappingRecord): string {
  return m.transition?.state ?? (m.enabled ? 'Enabled' : 'Disabled');
}

function view(m: EventSourceMappingRecord): Record<string, unknown> {
  return {
    UUID: m.uuid,
    EventSourceMappingArn: m.arn,
    EventSourceArn: m.eventSourceArn,
    FunctionArn: m.functionArn,
    BatchSize: m.batchSize,
    MaximumBatchingWindowInSeconds: m.maximumBatchingWindowInSeconds,
    State: mappingState(m),
    StateTransitionReason: 'USER_INITIATED',
    LastModified: new Date(m.lastModified),
    FunctionResponseTypes: [...m.functionResponseTypes],
    ...(m.startingPosition ? { StartingPosition: m.startingPosition } : {}),
    ...(m.maximumConcurrency ? { ScalingConfig: { MaximumConcurrency: m.maximumConcurrency } } : {}),
    ...(m.maximumRetryAttempts === undefined ? {} : { MaximumRetryAttempts: m.maximumRetryAttempts }),
    ...(m.bisectBatchOnFunctionError === undefined
      ? {}
      : { BisectBatchOnFunctionError: m.bisectBatchOnFunctionError }),
    ...(m.parallelizationFactor === undefined ? {} : { ParallelizationFactor: m.parallelizationFactor }),
  };
}

function invalid(ctx: Ctx, message: string): never {
  return ctx.fail('InvalidParameterValueException', message);
}

function find(ctx: Ctx, uuid: unknown): EventSourceMappingRecord {
  refreshMappings(ctx.state, ctx.now);
  return (
    mappingsOf(ctx.state)[String(uuid)] ??
    ctx.fail(
      'ResourceNotFoundException',
      `The resource you requested does not exist. (Service: Lambda, UUID: ${String(uuid)})`,
      {
        httpStatusCode: 404,
      },
    )
  );
}

const STREAM_ARN = /^arn:[^:]+:dynamodb:[^:]+:\d{12}:table\/[^/]+\/stream\/.+$/;

/** Checks the settings that depend on the kind of source; `m` is the mapping as it would be. */
function checkSettings(ctx: Ctx, m: EventSourceMappingRecord, fifo: boolean): void {
  if (m.kind === 'sqs') {
    const max = fifo ? 10 : 10_000;
    if (!(m.batchSize >= 1 && m.batchSize <= max)) {
      invalid(ctx, `BatchSize must be between 1 and ${max} for ${fifo ? 'a FIFO' : 'an SQS'} queue.`);
    }
    if (fifo && m.maximumBatchingWindowInSeconds > 0) {
      invalid(ctx, 'Batching window is not supported for FIFO queues.');
    }
    if (!fifo && m.batchSize > 10 && m.maximumBatchingWindowInSeconds < 1) {
      invalid(
        ctx,
        'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
      );
    }
    if (m.maximumConcurrency !== undefined && !(m.maximumConcurrency >= 2 && m.maximumConcurrency <= 1000)) {
      invalid(ctx, 'MaximumConcurrency must be between 2 and 1000.');
    }
    if (m.startingPosition) invalid(ctx, 'StartingPosition is not valid for SQS event sources.');
  } else {
    if (!(m.batchSize >= 1 && m.batchSize <= 10_000)) invalid(ctx, 'BatchSize must be between 1 and 10000.');
    if (m.maximumConcurrency !== undefined)
      invalid(ctx, 'ScalingConfig is only supported for SQS event sources.');
    if (
      m.parallelizationFactor !== undefined &&
      !(m.parallelizationFactor >= 1 && m.parallelizationFactor <= 10)
    ) {
      invalid(ctx, 'ParallelizationFactor must be between 1 and 10.');
    }
  }
  if (!(m.maximumBatchingWindowInSeconds >= 0 && m.maximumBatchingWindowInSeconds <= 300)) {
    invalid(ctx, 'MaximumBatchingWindowInSeconds must be between 0 and 300.');
  }
  for (const type of m.functionResponseTypes) {
    if (type !== 'ReportBatchItemFailures') invalid(ctx, `Unsupported FunctionResponseType: ${type}`);
  }
}

function sourceOf(ctx: Ctx, arn: string): { kind: 'sqs' | 'dynamodb'; fifo: boolean } {
  if (STREAM_ARN.test(arn)) return { kind: 'dynamodb', fifo: false };
  if (/^arn:[^:]+:sqs:/.test(arn)) {
    const queue = queueByArn(ctx.account.stateOf<SqsState>('sqs'), arn);
    if (!queue)
      invalid(
        ctx,
        `Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. The specified queue does not exist.`,
      );
    return { kind: 'sqs', fifo: queue.fifo };
  }
  return invalid(ctx, `Unrecognized event source: ${arn}. Use a DynamoDB stream or SQS queue ARN.`);
}

function applySettings(m: EventSourceMappingRecord, input: Input): void {
  if (input.BatchSize !== undefined) m.batchSize = Number(input.BatchSize);
  if (input.MaximumBatchingWindowInSeconds !== undefined) {
    m.maximumBatchingWindowInSeconds = Number(input.MaximumBatchingWindowInSeconds);
  }
  if (input.Enabled !== undefined) m.enabled = Boolean(input.Enabled);
  if (input.ScalingConfig !== undefined) {
    const max = input.ScalingConfig?.MaximumConcurrency;
    if (max === undefined) delete m.maximumConcurrency;
    else m.maximumConcurrency = Number(max);
  }
  if (input.FunctionResponseTypes !== undefined)
    m.functionResponseTypes = [...(input.FunctionResponseTypes as string[])];
  if (input.MaximumRetryAttempts !== undefined) m.maximumRetryAttempts = Number(input.MaximumRetryAttempts);
  if (input.BisectBatchOnFunctionError !== undefined) {
    m.bisectBatchOnFunctionError = Boolean(input.BisectBatchOnFunctionError);
  }
  if (input.ParallelizationFactor !== undefined)
    m.parallelizationFactor = Number(input.ParallelizationFactor);
}

export const eventSourceMappingOperations: Record<string, Operation<LambdaState>> = {
  CreateEventSourceMapping: {
    mutating: true,
    required: ['FunctionName'],
    handle: (input, ctx) => {
      const fn = findFunction(ctx, input.FunctionName);
      const eventSourceArn = String(input.EventSourceArn ?? '');
      if (!eventSourceArn) invalid(ctx, 'EventSourceArn is required for this event source.');
      const source = sourceOf(ctx, eventSourceArn);
      refreshMappings(ctx.state, ctx.now);
      const existing = Object.values(mappingsOf(ctx.state)).find(
        (m) => m.functionName === fn.name && m.eventSourceArn === eventSourceArn,
      );
      if (existing) {
        ctx.fail(
          'ResourceConflictException',
          `An event source mapping with ${source.kind === 'sqs' ? 'SQS' : 'event source'} arn (" ${eventSourceArn} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
          { httpStatusCode: 409 },
        );
      }
      if (source.kind === 'dynamodb' && !input.StartingPosition) {
        invalid(ctx, 'StartingPosition is required for this event source.');
      }
      const hex = ctx.account.newId('', 32);
      const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      const mapping: EventSourceMappingRecord = {
        uuid,
        arn: ctx.account.arn('lambda', `event-source-mapping:${uuid}`),
        functionName: fn.name,
        functionArn: fn.arn,
        eventSourceArn,
        kind: source.kind,
        batchSize: source.kind === 'sqs' ? 10 : 100,
        maximumBatchingWindowInSeconds: 0,
        enabled: true,
        functionResponseTypes: [],
        ...(input.StartingPosition ? { startingPosition: String(input.StartingPosition) } : {}),
        transition: { state: 'Creating', until: ctx.now + MAPPING_TRANSITION_MS },
        lastModified: ctx.now,
      };
      applySettings(mapping, input);
      checkSettings(ctx, mapping, source.fifo);
      mappingsOf(ctx.state)[uuid] = mapping;
      return view(mapping);
    },
  },
  GetEventSourceMapping: {
    mutating: false,
    required: ['UUID'],
    handle: (input, ctx) => view(find(ctx, input.UUID)),
  },
  ListEventSourceMappings: {
    mutating: false,
    handle: (input, ctx) => {
      refreshMappings(ctx.state, ctx.now);
      const fnName =
        input.FunctionName === undefined ? undefined : findFunction(ctx, input.FunctionName).name;
      const all = Object.values(mappingsOf(ctx.state))
        .filter((m) => fnName === undefined || m.functionName === fnName)
        .filter((m) => input.EventSourceArn === undefined || m.eventSourceArn === input.EventSourceArn)
        .sort((a, b) => a.uuid.localeCompare(b.uuid));
      const page = paginate(all, input.Marker, input.MaxItems, 100);
      return { EventSourceMappings: page.items.map(view), NextMarker: page.nextToken };
    },
  },
  UpdateEventSourceMapping: {
    mutating: true,
    required: ['UUID'],
    handle: (input, ctx) => {
      const mapping = find(ctx, input.UUID);
      if (mapping.transition) {
        ctx.fail(
          'ResourceInUseException',
          `Cannot update the event source mapping because it is in use. (State: ${mapping.transition.state})`,
          { httpStatusCode: 400 },
        );
      }
      if (input.FunctionName !== undefined) {
        const fn = findFunction(ctx, input.FunctionName);
        mapping.functionName = fn.name;
        mapping.functionArn = fn.arn;
      }
      const next = structuredClone(mapping);
      const wasEnabled = mapping.enabled;
      applySettings(next, input);
      const fifo =
        next.kind === 'sqs' &&
        queueByArn(ctx.account.stateOf<SqsState>('sqs'), next.eventSourceArn)?.fifo === true;
      checkSettings(ctx, next, fifo);
      const state = next.enabled === wasEnabled ? 'Updating' : next.enabled ? 'Enabling' : 'Disabling';
      Object.assign(mapping, next, {
        transition: { state, until: ctx.now + MAPPING_TRANSITION_MS },
        lastModified: ctx.now,
      });
      return view(mapping);
    },
  },
  DeleteEventSourceMapping: {
    mutating: true,
    required: ['UUID'],
    handle: (input, ctx) => {
      const mapping = find(ctx, input.UUID);
      if (mapping.transition && mapping.transition.state !== 'Deleting') {
        ctx.fail(
          'ResourceInUseException',
          `Cannot delete the event source mapping because it is in use. (State: ${mapping.transition.state})`,
        );
      }
      mapping.transition = { state: 'Deleting', until: ctx.now + MAPPING_TRANSITION_MS };
      mapping.lastModified = ctx.now;
      return view(mapping);
    },
  },
};
