/** Simulated Resource Groups Tagging API. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface TaggingState {
  placeholder?: never;
}

export const taggingService: SimService<TaggingState> = {
  name: 'tagging',
  validationErrorCode: 'InvalidParameterException',
  throttlingErrorCode: 'ThrottledException',
  buckets: {},
  operations: {},
  initialState: () => ({}),
};
