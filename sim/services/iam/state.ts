/** State of the simulated IAM (global, no region): roles and customer managed policies, plain JSON. */
import type { TagMap } from '../../core/tags';

export interface RoleRecord {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  /** Managed policy ARNs, in attachment order. */
  attachedPolicyArns: string[];
  /** Inline policies by name. */
  inlinePolicies: Record<string, string>;
  tags: TagMap;
}

export interface ManagedPolicyRecord {
  name: string;
  id: string;
  arn: string;
  path: string;
  description?: string;
  document: string;
  createdAt: number;
  tags: TagMap;
}

export interface IamState {
  /** By lower-cased name: IAM role names are unique regardless of case (IAM identifiers, "Friendly names"). */
  roles: Record<string, RoleRecord>;
  /** By ARN. */
  policies: Record<string, ManagedPolicyRecord>;
}

export function initialIamState(): IamState {
  return { roles: {}, policies: {} };
}
