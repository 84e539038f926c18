/** Turns the SDK's errors into the store's, once, so every method reads the same. */
import { ConditionalCheckFailedException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  LeaseLostError,
  SpecValidationError,
  StackDeletingError,
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
 * Wraps an unexpected error as "<action> (<id>): <cause>". The store's own errors pass through unchanged:
 * they already say what happened.
 */
export function storeFailure(action: string, id: string, tableName: string, err: unknown): Error {
  if (
    err instanceof VersionConflictError ||
    err instanceof SpecValidationError ||
    err instanceof StackNotFoundError ||
    err instanceof StackDeletingError ||
    err instanceof LeaseLostError ||
    err instanceof StateStoreError
  ) {
    return err;
  }
  if (isTableMissing(err)) {
    return new StateStoreError(`${action} (${id}): table ${tableName} does not exist`, { cause: err });
  }
  const cause = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new StateStoreError(`${action} (${id}): ${cause}`, { cause: err });
}
