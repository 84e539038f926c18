/** Simulated IAM (global): roles with managed and inline policies, customer managed policies, tags. */
import type { InventoryItem, SimService } from '../../core/service';
import { managedPolicyOperations } from './managed-policies';
import { rolePolicyOperations } from './role-policies';
import { roleOperations } from './roles';
import { initialIamState, type IamState } from './state';

export type { IamState, RoleRecord, ManagedPolicyRecord } from './state';

function iamInventory(state: IamState): InventoryItem[] {
  return [
    ...Object.values(state.roles).map((role) => ({
      type: 'AWS::IAM::Role',
      id: role.name,
      name: role.name,
      arn: role.arn,
      tags: { ...role.tags },
    })),
    ...Object.values(state.policies).map((policy) => ({
      type: 'AWS::IAM::ManagedPolicy',
      id: policy.arn,
      name: policy.name,
      arn: policy.arn,
      tags: { ...policy.tags },
    })),
  ];
}

export const iamService: SimService<IamState> = {
  name: 'iam',
  freshAnswers: true,
  global: true,
  validationErrorCode: 'ValidationError',
  throttlingErrorCode: 'Throttling',
  buckets: {},
  operations: { ...roleOperations, ...rolePolicyOperations, ...managedPolicyOperations },
  initialState: initialIamState,
  inventory: iamInventory,
};
