/**
 * What `lambdaflex bootstrap` keeps, in creation order, as resource kinds of the pseudo-stack
 * `lambdaflex-system`, so that the reconciler's own step engine plans and applies them:
 * table → reconciler role → scheduler role → function → every-minute schedule.
 *
 * The Lambda and ECS roles the stacks need are not here: the reconciler makes one of each per stack
 * (resources/lambda-role.ts, execution-role.ts), and ECS, ELB and Application Auto Scaling create their
 * service-linked roles themselves on first use (the policy grants iam:CreateServiceLinkedRole for them).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DesiredState } from '../../spec/types';
import { reconcilerPolicy } from '../iam/policy';
import type { ResourceKind } from '../resources/types';
import { SYSTEM_NAMES, SYSTEM_STACK } from './names';
import { reconcilerFunctionKind, type FunctionSettings } from './reconciler-function';
import { everyMinuteScheduleKind, requeueScheduleKind } from './schedule';
import { systemRoleKind } from './system-role';
import { externalTableKind, tableKind } from './table';

export interface BootstrapSettings extends Omit<
  FunctionSettings,
  'memoryMb' | 'timeoutSeconds' | 'parallelism'
> {
  dynamodb: DynamoDBClient;
  memoryMb?: number;
  timeoutSeconds?: number;
  parallelism?: number;
  /** false: the table exists already and is only looked up (the local sandbox; see externalTableKind). */
  manageTable?: boolean;
}

/** `arn:aws:dynamodb:eu-west-1:123456789012:table/x` → partition, region, account. */
function arnParts(
  arn: string | undefined,
): { partition: string; region: string; account: string } | undefined {
  const parts = arn?.split(':');
  if (!parts || parts.length < 6) return undefined;
  return { partition: parts[1]!, region: parts[3]!, account: parts[4]! };
}

export function bootstrapKinds(settings: BootstrapSettings): ResourceKind[] {
  const reconcilerRole = systemRoleKind({
    key: 'reconciler-role',
    roleName: SYSTEM_NAMES.reconcilerRole,
    principal: 'lambda.amazonaws.com',
    description: 'LambdaFlex reconciler: what it may do to the stacks (generated least-privilege policy)',
    dependsOn: ['table'],
    policy: (refs) => {
      const tableArn = refs['table']?.arn;
      return tableArn ? reconcilerPolicy({ tableArn }) : undefined;
    },
    // Its own logs; a managed policy does not count against the role's 10,240-character inline limit.
    managedPolicies: ['AWSLambdaBasicExecutionRole'],
  });
  const schedulerRole = systemRoleKind({
    key: 'scheduler-role',
    roleName: SYSTEM_NAMES.schedulerRole,
    principal: 'scheduler.amazonaws.com',
    description: 'LambdaFlex: lets EventBridge Scheduler invoke the reconciler',
    dependsOn: ['table'],
    // The function's ARN is known before the function exists: same account and region as the table.
    policy: (refs) => {
      const where = arnParts(refs['table']?.arn);
      if (!where) return undefined;
      const fn = `arn:${where.partition}:lambda:${where.region}:${where.account}:function:${SYSTEM_NAMES.function}`;
      return {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [fn, `${fn}:*`] }],
      };
    },
    managedPolicies: [],
  });
  return [
    settings.manageTable === false
      ? externalTableKind(settings.dynamodb, settings.tableName)
      : tableKind(settings.dynamodb, settings.tableName),
    reconcilerRole,
    schedulerRole,
    reconcilerFunctionKind({
      zip: settings.zip,
      tableName: settings.tableName,
      memoryMb: settings.memoryMb ?? 512,
      // Longer than a minute would let passes pile up behind the schedule; leases keep them apart anyway.
      timeoutSeconds: settings.timeoutSeconds ?? 120,
      parallelism: settings.parallelism ?? 8,
    }),
    everyMinuteScheduleKind,
  ];
}

/** For `--destroy`: a pending requeue schedule is deleted first. */
export function destroyKinds(settings: BootstrapSettings): ResourceKind[] {
  // A table bootstrap does not own is left out altogether: otherwise every pass would plan its delete.
  const kinds = bootstrapKinds(settings).filter((k) => settings.manageTable !== false || k.key !== 'table');
  return [...kinds, requeueScheduleKind];
}

/** The engine passes a spec to every kind; bootstrap's kinds read only `stack`. */
export const SYSTEM_SPEC = { stack: SYSTEM_STACK } as DesiredState;
