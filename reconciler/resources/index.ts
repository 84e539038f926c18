/**
 * Every resource kind of a stack, in creation order: the Lambda tier (present while the stack exists)
 * first, then the Fargate tier. The engine plans and applies over this list.
 */
import { FARGATE_TIER_KINDS } from './fargate-tier';
import type { ResourceKind } from './types';

export const ALL_KINDS: readonly ResourceKind[] = [...FARGATE_TIER_KINDS];

export { FARGATE_TIER_KINDS };
export type { ResourceKind, ObservedResource, ResourceContext } from './types';
