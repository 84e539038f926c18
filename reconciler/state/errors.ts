/** Turns the SDK's errors into the store's, once, so every method reads the same. */
import { ConditionalCheckFailedException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  LeaseLostError,
  SpecValidationError,
  StackDeletingError,
  UnreadableDeletionMarkError,
  StackNotFoundError,
  StateStoreError,
  VersionConflictError,
} from './types';

export function isConditionalCheckFailed(err: unknown): err is ConditionalCheckFailedException {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err instanceof Error && err.name === 'ConditionalCheckFailedException')
  );
}

export function isTableMissing(err: unknown): boolean {
  return (
    err instanceof ResourceNotFoundException ||
    (err instanceof Error && err.name === 'ResourceNotFoundException')
  );
}

/**
 * Wraps an unexpected error as "<action> (<id>): <cause>", the cause being the error's message (its name
 * only when it has none): a plain Error's String() would read "...: Error: Region is missing". The error
 * itself stays the `cause`, for whoever needs its name or code. The store's own errors pass through
 * unchanged: they already say what happened.
 */
export function storeFailure(action: string, id: string, tableName: string, err: unknown): Error {
  if (
    err instanceof VersionConflictError ||
    err instanceof SpecValidationError ||
    err instanceof StackNotFoundError ||
    err instanceof StackDeletingError ||
    err instanceof UnreadableDeletionMarkError ||
    err instanceof LeaseLostError ||
    err instanceof StateStoreError
  ) {
    return err;
  }
  if (isTableMissing(err)) {
    return new StateStoreError(`${action} (${id}): table ${tableName} does not exist`, { cause: err });
  }
  const cause = err instanceof Error ? err.message || err.name : String(err);
  return new StateStoreError(`${action} (${id}): ${cause}`, { cause: err });
}
