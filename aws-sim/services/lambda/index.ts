/**
 * Simulated AWS Lambda: container-image functions that go Pending → Active, updates that refuse a second
 * update while one is in progress, resource policies, reserved concurrency and tags.
 */
import type { SimAccount } from '../../core/account';
import type { InventoryItem, SimService } from '../../core/service';
import { eventSourceMappingOperations, refreshMappings } from './event-source-mappings';
import { functionOperations } from './functions';
import { permissionOperations } from './permissions';
import { DEFAULT_LAMBDA_CONFIG, type LambdaConfig, type LambdaState } from './state';
import { stateOf } from './view';

export type { LambdaState, LambdaFunctionRecord, LambdaConfig } from './state';
export { DEFAULT_LAMBDA_CONFIG } from './state';
export { mappingsOf, mappingState, type EventSourceMappingRecord } from './event-source-mappings';
export { stateOf as functionState } from './view';

/** Changes the Lambda model's timings or the account concurrency limit (default 1,000). */
export function configureLambda(account: SimAccount, config: Partial<LambdaConfig>): void {
  Object.assign(account.stateOf<LambdaState>('lambda').config, config);
}

export const lambdaService: SimService<LambdaState> = {
  name: 'lambda',
  freshAnswers: true,
  validationErrorCode: 'InvalidParameterValueException',
  throttlingErrorCode: 'TooManyRequestsException',
  buckets: {},
  operations: { ...functionOperations, ...permissionOperations, ...eventSourceMappingOperations },
  initialState: () => ({ config: { ...DEFAULT_LAMBDA_CONFIG }, functions: {}, eventSourceMappings: {} }),
  refresh: (state, account) => refreshMappings(state, account.now()),
  inventory: (state, account): InventoryItem[] =>
    Object.values(state.functions).flatMap((fn) => [
      {
        type: 'AWS::Lambda::Function',
        id: fn.name,
        name: fn.name,
        arn: fn.arn,
        state: stateOf(fn, account.now()),
        tags: { ...fn.tags },
      },
      // Permissions are part of the function's policy: no ARN, no tags of their own.
      ...fn.policy.map((s) => ({
        type: 'AWS::Lambda::Permission',
        id: `${fn.name}|${s.Sid}`,
        name: s.Sid,
        tags: {},
      })),
    ]),
};
