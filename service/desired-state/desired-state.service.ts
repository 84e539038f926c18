import { ConflictException, Injectable, PreconditionFailedException } from '@nestjs/common';
import {
  type StackRecord,
  SpecValidationError,
  StackDeletingError,
  VersionConflictError,
} from '../../reconciler/state/types';
import type { DesiredState } from '../../spec/types';
import { StackRecordsService } from '../state/stack-records.service';
import { validationFailed } from '../validation/validation-error';
import { formatEtag, type Precondition } from './etag';

/** Reads and writes this stack's spec through the state store, translating its errors into HTTP once. */
@Injectable()
export class DesiredStateService {
  constructor(private readonly records: StackRecordsService) {}

  get(): Promise<StackRecord> {
    return this.records.require();
  }

  /**
   * Writes `spec` conditional on the precondition. The generation check is the store's conditional write,
   * not a read-then-compare here, so two editors racing between our read and our write still cannot both
   * win; the reconciler's status writes meanwhile do not fail it.
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
    let expectedGeneration: number | undefined;
    if (precondition.kind === 'generation') expectedGeneration = precondition.generation;
    if (precondition.kind === 'absent') expectedGeneration = 0;
    if (precondition.kind === 'exists') {
      // `*` means "whatever is there", but something must be there: without a record it is a failed precondition.
      const current = await this.records.find();
      if (!current)
        throw new PreconditionFailedException(`stack ${stack} has no record; If-Match: * needs one`);
      expectedGeneration = current.generation;
    }
    try {
      return await (await this.records.store()).putSpec(spec, { expectedGeneration });
    } catch (error) {
      if (error instanceof VersionConflictError) {
        throw new PreconditionFailedException({
          statusCode: 412,
          error: 'Precondition Failed',
          message: `the desired state changed since it was read: expected ETag ${formatEtag(expectedGeneration ?? 0)}, found ${error.actualVersion === undefined ? 'no record' : formatEtag(error.actualVersion)}; GET /desired-state again and retry`,
          currentEtag: error.actualVersion === undefined ? undefined : formatEtag(error.actualVersion),
        });
      }
      // Deletion is final: the record and anything written to it are about to go.
      if (error instanceof StackDeletingError) throw new ConflictException(error.message);
      if (error instanceof SpecValidationError)
        throw validationFailed(error.errors, 'the desired state is invalid');
      throw error;
    }
  }
}
