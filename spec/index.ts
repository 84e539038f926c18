/** The desired-state contract: types, validation with defaults, computed thresholds, derived names. */
export * from './types';
export { validateSpec, desiredStateSchema, type ValidateOptions } from './validate';
export { formatSpecErrors } from './format';
export {
  breakEvenRps,
  defaultThresholds,
  completeThresholds,
  lambdaCostPerRequest,
  lambdaCostPerRpsMonth,
  fargateTierMonthlyCost,
  DEFAULT_MEAN_DURATION_MS,
  type CostSizes,
  type PartialThresholds,
} from './thresholds';
export { PRICES, HOURS_PER_MONTH, SECONDS_PER_MONTH, ALB_PUBLIC_IPS } from './prices';
export {
  resourceName,
  names,
  ownershipTags,
  ownershipTagList,
  isOwnedBy,
  COMPONENTS,
  NAME_LIMITS,
  TAG_STACK,
  TAG_COMPONENT,
  TAG_MANAGED_BY,
  TAG_NONCE,
  nonceTags,
  MANAGED_BY,
  type StackNames,
  type Component,
  type OwnershipTags,
} from './names';
export {
  FARGATE_MEMORY_BY_CPU,
  FARGATE_CPUS,
  allowedFargateMemory,
  isValidFargateSize,
} from '../aws-facts/fargate-sizes';
