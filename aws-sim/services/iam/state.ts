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
  /** The managed policy that bounds the role's permissions, if any. */
  permissionsBoundaryArn?: string;
  tags: TagMap;
}

export interface PolicyVersionRecord {
  id: string;
  document: string;
  createdAt: number;
}

export interface ManagedPolicyRecord {
  name: string;
  id: string;
  arn: string;
  path: string;
  description?: string;
  /** At most five, oldest first; `defaultVersionId` names the one in effect. */
  versions: PolicyVersionRecord[];
  defaultVersionId: string;
  /** The number the next version gets (`v2`, `v3`, …: IAM never reuses one). */
  nextVersion: number;
  createdAt: number;
  updatedAt: number;
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
