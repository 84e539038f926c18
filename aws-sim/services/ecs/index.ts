/**
 * Simulated Amazon ECS, Fargate only: clusters, task definitions, services with their scheduler and
 * rolling deployments, tasks with a timed life and ENIs from the EC2 model, and tags.
 */
import type { SimService } from '../../core/service';
import { clusterOperations } from './clusters';
import { ecsInventory } from './inventory';
import { refreshEcs } from './scheduler';
import { serviceOperations } from './services';
import { initialEcsState, type EcsState } from './state';
import { tagOperations } from './tags';
import { taskDefinitionOperations } from './task-definitions';
import { taskOperations } from './tasks';
import { API_RATE_LIMITS } from '../../../aws-facts/api-rate-limits';

export type {
  EcsConfig,
  EcsState,
  ServiceRecord,
  TaskRecord,
  TaskDefinitionRecord,
  ClusterRecord,
} from './state';
export { taskStatus, type TaskStatus } from './task-lifecycle';
export { failureThreshold, setImageBroken } from './deployments';
export * from './api';

export const ecsService: SimService<EcsState> = {
  name: 'ecs',
  freshAnswers: true,
  validationErrorCode: 'InvalidParameterException',
  throttlingErrorCode: 'ThrottlingException',
  buckets: {
    // AWS's published rates (aws-facts/api-rate-limits.ts): DescribeClusters burst 50, about 20 sustained.
    describe: API_RATE_LIMITS.ecs.read,
    mutating: API_RATE_LIMITS.ecs.write,
  },
  operations: {
    ...clusterOperations,
    ...taskDefinitionOperations,
    ...serviceOperations,
    ...taskOperations,
    ...tagOperations,
  },
  initialState: initialEcsState,
  refresh: refreshEcs,
  inventory: ecsInventory,
};
