/**
 * Simulated Application Auto Scaling for ECS services: scalable targets, target-tracking policies on
 * ALBRequestCountPerTarget that change the desired count each simulated minute, activities and tags.
 */
import type { SimService } from '../../core/service';
import { autoscalingInventory } from './inventory';
import { policyOperations } from './policies';
import { tickAutoscaling } from './scaling';
import { initialAutoscalingState, type AutoscalingState } from './state';
import { tagOperations } from './tags';
import { targetOperations } from './targets';
import { API_RATE_LIMITS } from '../../../aws-facts/api-rate-limits';

export type { AutoscalingState, ScalableTargetRecord, ScalingPolicyRecord } from './state';

export const autoscalingService: SimService<AutoscalingState> = {
  name: 'autoscaling',
  freshAnswers: true,
  validationErrorCode: 'ValidationException',
  throttlingErrorCode: 'ThrottlingException',
  buckets: {
    // AWS's figures (aws-facts/api-rate-limits.ts).
    describe: API_RATE_LIMITS.autoscaling.read,
    mutating: API_RATE_LIMITS.autoscaling.write,
  },
  operations: { ...targetOperations, ...policyOperations, ...tagOperations },
  initialState: initialAutoscalingState,
  tick: tickAutoscaling,
  inventory: autoscalingInventory,
};
