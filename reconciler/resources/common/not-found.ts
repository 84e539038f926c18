/**
 * "Not found is a value" (docs/design.md, code rule 3) for the ELBv2, ECS, IAM and Application Auto Scaling kinds:
 * a finder's "gone" answer becomes undefined, and a delete of something already gone is done.
 */
import { isNotFound } from '../../aws/classify';
import type { ErrorCodes } from '../types';

/** Runs `call`; an answer that means "gone" for this kind becomes undefined, anything else is rethrown. */
export async function orUndefinedIfGone<T>(
  call: () => Promise<T>,
  codes: ErrorCodes,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error, codes)) return undefined;
    throw error;
  }
}

/** Runs a delete call; "already gone" counts as done. */
export async function deleteIgnoringGone(call: () => Promise<unknown>, codes: ErrorCodes): Promise<void> {
  await orUndefinedIfGone(call, codes);
}
