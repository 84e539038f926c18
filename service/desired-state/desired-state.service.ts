import { ConflictException, Injectable, PreconditionFailedException } from '@nestjs/common';
import {
  type StackRecord,
  SpecValidationError,
  StackDeletingError,
  UnreadableDeletionMarkError,
  VersionConflictError,
} from '../../reconciler/state/types';
import type { DesiredState } from '../../spec/types';
import { StackRecordsService } from '../state/stack-records.service';
import { validationFailed } from '../validation/validation-error';
import type { SpecRevision } from '../../reconciler/state/incarnation';
import { formatEtag, type Precondition } from './etag';

/** Reads and writes this stack's spec through the state store, translating its errors into HTTP once. */
@Injectable()
export class DesiredStateService {
  constructor(private readonly records: StackRecordsService) {}

  get(): Promise<StackRecord> {
    return this.records.require();
  }

  /**
   * Writes `spec` conditional on the precondition. The check of the generation and the incarnation is the
   * store's conditional write, not a read-then-compare here, so two editors racing between our read and
   * our write still cannot both win, nor an ETag of a record since deleted apply to the one made again;
   * the reconciler's status writes meanwhile do not fail it.
   */
  async put(
    spec: DesiredState,
    precondition: Exclude<Precondition, { kind: 'missing' | 'invalid' }>,
  ): Promise<StackRecord> {
    const stack = this.records.stackName();
    if (spec.stack !== stack) {
      throw validationFailed(
        [
          {
            path: 'stack',
            message: `must be ${stack}, the stack this service belongs to (got ${spec.stack})`,
          },
        ],
        'the desired state names another stack',
      );
    }
    let expected: SpecRevision = { generation: 0 };
    if (precondition.kind === 'revision') expected = precondition.revision;
    if (precondition.kind === 'exists') {
      // `*` means "whatever is there", but something must be there: without a record it is a failed precondition.
      const current = await this.records.find();
      if (!current)
        throw new PreconditionFailedException(`stack ${stack} has no record; If-Match: * needs one`);
      expected = { generation: current.generation, incarnation: current.incarnation };
    }
    try {
      return await (
        await this.records.store()
      ).putSpec(spec, {
        expectedGeneration: expected.generation,
        expectedIncarnation: expected.incarnation,
      });
    } catch (error) {
      // The record's incarnation edited by hand into none a write can name: no retry passes, say so.
      if (error instanceof VersionConflictError && error.unreadable)
        throw new ConflictException(error.message);
      if (error instanceof VersionConflictError) throw preconditionFailed(expected, error);
      // Deletion is final: the record and anything written to it are about to go.
      if (error instanceof StackDeletingError) throw new ConflictException(error.message);
      // A deletion mark edited by hand into no time: no spec until it is replaced (a delete) or removed.
      if (error instanceof UnreadableDeletionMarkError) throw new ConflictException(error.message);
      if (error instanceof SpecValidationError)
        throw validationFailed(error.errors, 'the desired state is invalid');
      throw error;
    }
  }
}

/**
 * The 412 of a write whose ETag no longer names the stored spec, with the ETag that does (`currentEtag`).
 * An ETag of the form from before incarnations (a generation alone) is named as such: it can never again
 * name a record that has an incarnation, however often it is retried.
 */
function preconditionFailed(
  expected: SpecRevision,
  error: VersionConflictError,
): PreconditionFailedException {
  const found: SpecRevision | undefined =
    error.actualVersion === undefined
      ? undefined
      : { generation: error.actualVersion, incarnation: error.actualIncarnation };
  const currentEtag = found && formatEtag(found);
  const sent = expected.generation === 0 ? undefined : formatEtag(expected);
  let message: string;
  if (expected.generation !== 0 && expected.incarnation === undefined && found?.incarnation !== undefined) {
    message = `If-Match ${sent} is a generation alone, the ETag of a record created before incarnations: it cannot tell this record (ETag ${currentEtag}) from one deleted and created again since it was read; GET /desired-state again and retry`;
  } else {
    const recreated =
      expected.generation !== 0 && found !== undefined && found.incarnation !== expected.incarnation
        ? ' (another incarnation: the stack was deleted and created again since, or the ETag sent is not one it gave)'
        : '';
    message = `the desired state changed since it was read: expected ${sent === undefined ? 'no record' : `ETag ${sent}`}, found ${currentEtag ?? 'no record'}${recreated}; GET /desired-state again and retry`;
  }
  return new PreconditionFailedException({
    statusCode: 412,
    error: 'Precondition Failed',
    message,
    currentEtag,
  });
}
