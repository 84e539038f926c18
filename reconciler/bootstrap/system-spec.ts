/**
 * The spec bootstrap's system kinds are planned for: only the pseudo-stack's name. The engine is generic
 * over the spec type (engine/plan.ts `planWanted`), so the system kinds need no stack spec and no tier.
 */
import type { ResourceContext, ManagedResource, StackSpec } from '../resources/types';
import { SYSTEM_STACK } from './names';

export interface SystemSpec extends StackSpec {
  readonly stack: typeof SYSTEM_STACK;
}

export const SYSTEM_SPEC: SystemSpec = Object.freeze({ stack: SYSTEM_STACK });

/** One of the resources bootstrap keeps in a region. */
export type SystemResource = ManagedResource<SystemSpec>;
export type SystemContext = ResourceContext<SystemSpec>;
