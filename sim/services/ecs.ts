/** Simulated Amazon ECS. Placeholder: operations are being written. */
import type { SimService } from '../core/service';

export interface EcsState {
  placeholder?: never;
}

export const ecsService: SimService<EcsState> = {
  name: 'ecs',
  validationErrorCode: 'InvalidParameterException',
  throttlingErrorCode: 'ThrottlingException',
  buckets: {
    describe: { capacity: 50, refillPerSecond: 20 },
    mutating: { capacity: 50, refillPerSecond: 20 },
  },
  operations: {},
  initialState: () => ({}),
};
