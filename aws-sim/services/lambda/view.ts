/** How functions look in Lambda's answers (FunctionConfiguration) and how callers name them. */
import { createHash } from 'node:crypto';
import type { LambdaFunctionRecord } from './state';

/** A function is named by its name, its ARN, or a partial ARN, optionally with a qualifier. */
export function functionNameOf(reference: string): string {
  const match = /(?:^|:)function:([^:]+)/.exec(reference);
  return match ? match[1]! : reference.split(':')[0]!;
}

/** Lambda's own timestamp format: `2026-01-01T00:00:00.000+0000`. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function stateOf(fn: LambdaFunctionRecord, now: number): 'Pending' | 'Active' {
  return now >= fn.activeAt ? 'Active' : 'Pending';
}

export function updateInProgress(fn: LambdaFunctionRecord, now: number): boolean {
  return fn.updateDoneAt !== undefined && now < fn.updateDoneAt;
}

export function configurationOf(fn: LambdaFunctionRecord, now: number): Record<string, unknown> {
  const state = stateOf(fn, now);
  const updating = updateInProgress(fn, now);
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Role: fn.role,
    CodeSize: 0,
    Description: fn.description,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: lambdaTimestamp(fn.lastModified),
    CodeSha256: createHash('sha256')
      .update(fn.imageUri ?? '')
      .digest('base64'),
    Version: '$LATEST',
    Environment: { Variables: { ...fn.environment } },
    RevisionId: `rev-${fn.revision}`,
    PackageType: fn.packageType,
    Architectures: [...fn.architectures],
    State: state,
    ...(state === 'Pending'
      ? { StateReason: 'The function is being created.', StateReasonCode: 'Creating' }
      : {}),
    // "LastUpdateStatus is first set to Successful after function creation completes" (Lambda function states).
    ...(state === 'Active'
      ? updating
        ? {
            LastUpdateStatus: 'InProgress',
            LastUpdateStatusReason: 'The function is being updated.',
            LastUpdateStatusReasonCode: 'InProgress',
          }
        : { LastUpdateStatus: 'Successful' }
      : {}),
  };
}
