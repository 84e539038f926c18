/**
 * Simulated Elastic Load Balancing v2 (application load balancers only): load balancers, target groups,
 * targets and their health, listeners and tags, with AWS's idempotency rules, errors and timings.
 */
import { readWriteBuckets } from '../../core/rate-limits';
import type { SimService } from '../../core/service';
import { elbv2Inventory } from './inventory';
import { refreshElbv2 } from './lifecycle';
import { listenerOperations } from './listeners';
import { loadBalancerOperations } from './load-balancers';
import { initialElbv2State, type Elbv2State } from './state';
import { tagOperations } from './tags';
import { targetGroupOperations } from './target-groups';
import { targetOperations } from './targets';
import {
  API_RATE_LIMITS,
  ELBV2_ACCOUNT,
  ELBV2_REGISTRATION,
  ELBV2_RESOURCE_INTENSIVE,
} from '../../../aws-facts/api-rate-limits';

export type { Elbv2Config, Elbv2State, LoadBalancerRecord, TargetGroupRecord, ListenerRecord } from './state';
export * from './api';

export const elbv2Service: SimService<Elbv2State> = {
  name: 'elbv2',
  freshAnswers: true,
  validationErrorCode: 'ValidationError',
  throttlingErrorCode: 'Throttling',
  buckets: {
    // AWS's published rates (aws-facts/api-rate-limits.ts), a bucket per category of actions: every
    // Describe* 40 / 10, other changes 20 / 3, CreateLoadBalancer and SetSubnets 10 / 0.2, registrations
    // 20 / 4; and the account-level bucket every action takes from as well, 40 / 10.
    ...readWriteBuckets(API_RATE_LIMITS.elbv2),
    resourceIntensive: ELBV2_RESOURCE_INTENSIVE,
    registration: ELBV2_REGISTRATION,
    account: ELBV2_ACCOUNT,
  },
  operations: {
    ...loadBalancerOperations,
    ...targetGroupOperations,
    ...targetOperations,
    ...listenerOperations,
    ...tagOperations,
  },
  initialState: initialElbv2State,
  refresh: refreshElbv2,
  inventory: elbv2Inventory,
};
