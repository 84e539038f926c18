/**
 * What `lambdaflex bootstrap` keeps in one region, in creation order, as resource kinds of the
 * pseudo-stack `lambdaflex-system`, so that the reconciler's own step engine plans and applies them:
 * table → its system record (the hosted zones, the ceilings) → the stack roles' permissions boundary and log-group policy → the parts of the reconciler's
 * policy → reconciler role → scheduler role → function → every-minute schedule.
 *
 * IAM names are global, bootstraps regional: every IAM name here carries the region, and each policy
 * grants that region only, so two regions of one account never share or delete each other's.
 *
 * The Lambda and ECS roles the stacks need are not here: the reconciler makes one of each per stack
 * (resources/iam/lambda-role.ts, execution-role.ts) under the boundary installed here, and ECS, ELB and
 * Application Auto Scaling create their service-linked roles themselves on first use.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { POLICY_NAMES, whereOf } from '../iam/arns';
import { POLICY_PARTS, reconcilerPolicies, type PolicyPart } from '../iam/policy';
import type { HostedZoneGrant, PolicyContext } from '../iam/scopes';
import { stackBoundaryPolicy, stackLogsPolicy, stackTablePolicy } from '../iam/stack-role-policies';
import type { SystemContext, SystemResource } from './system-spec';
import { managedPolicyResource } from './managed-policy';
import { SYSTEM_NAMES, systemRoleNames } from './names';
import { reconcilerFunctionResource, type FunctionSettings } from './reconciler-function';
import { everyMinuteScheduleResource, requeueScheduleResource } from './schedule';
import { systemRecordResource } from './system-record-kind';
import { systemRoleResource } from './system-role';
import { externalTableResource, tableResource } from './table';
import { DEFAULT_PARALLELISM } from '../concurrency';
import { STREAM_RETRY_ATTEMPTS, WORKERS } from '../dispatch/budgets';
import { eventSourceMappingResource } from './event-source-mapping';
import { TABLE_STREAM_KEY, tableStreamResource } from './table-stream';
import { deadLetterQueueResource, WORK_QUEUE_KEY, workQueueResource } from './work-queue';
import { WORK_QUEUE } from '../iam/scopes';
import { LedgerStore } from './ledger';
import { provenResource } from './proven';
import { stampFunction } from './reconciler-function';

export interface BootstrapSettings extends Omit<
  FunctionSettings,
  'memoryMb' | 'timeoutSeconds' | 'parallelism'
> {
  dynamodb: DynamoDBClient;
  /** The region bootstrapped: every IAM name carries it. */
  region: string;
  /** The hosted zones the reconciler may write records in (none: it may change no DNS). */
  hostedZones?: readonly HostedZoneGrant[];
  /** Their domain names, for messages (`Z123` → `example.com`). */
  zoneNames?: Record<string, string>;
  /**
   * The most one stack's spec may reserve of the region's Lambda concurrency
   * (`--max-reserved-concurrency`; DEFAULT_MAX_RESERVED_CONCURRENCY when not given).
   */
  maxReservedConcurrency?: number;
  /**
   * The most vCPUs one stack's Fargate tier may run (`--max-fargate-vcpus`; DEFAULT_MAX_FARGATE_VCPUS
   * when not given).
   */
  maxFargateVcpus?: number;
  memoryMb?: number;
  timeoutSeconds?: number;
  parallelism?: number;
  /** false: the table exists already and is only looked up (the local sandbox; see externalTableResource). */
  manageTable?: boolean;
}

const PARTS = Object.keys(POLICY_PARTS) as PolicyPart[];
export const policyPartKey = (part: PolicyPart) => `reconciler-policy-${part}`;

/** Where the policies grant, once the table (whose ARN names partition and account) is known. */
function where(settings: BootstrapSettings, refs: SystemContext['refs']) {
  const tableArn = refs['table']?.arn;
  return tableArn
    ? { ...whereOf(tableArn), region: settings.region, tableName: settings.tableName }
    : undefined;
}

/** The reconciler policy's context: where it grants, and the hosted zones it may write in. */
function policyContext(settings: BootstrapSettings, refs: SystemContext['refs']): PolicyContext | undefined {
  const w = where(settings, refs);
  return w && { ...w, hostedZones: settings.hostedZones ?? [] };
}

/**
 * Every kind bootstrap makes and proves its own by the identity recorded in the system record's ledger
 * (proven.ts), not by its tags alone. Not among them: the table, whose system record is the ledger, its
 * stream and the event source mappings (children of the table and the function: ours when their parent
 * is), the system record itself (its key), and the requeue schedule (the handler's, not bootstrap's).
 */
const PROVEN_BY: Record<string, string> = {
  'dead-letter-queue': 'ARN and creation time',
  'work-queue': 'ARN and creation time',
  'reconciler-role': 'RoleId',
  'scheduler-role': 'RoleId',
  function: 'creation nonce',
  schedule: 'creation date',
};

function proveOwnership(settings: BootstrapSettings, kinds: SystemResource[]): SystemResource[] {
  const ledger = new LedgerStore(settings.dynamodb, settings.tableName);
  return kinds.map((kind) => {
    const label = PROVEN_BY[kind.key] ?? (kind.type === 'AWS::IAM::ManagedPolicy' ? 'PolicyId' : undefined);
    if (kind.key === 'table' || kind.key === 'system-record') return kind;
    // The record goes last but for the table on --destroy: the stream and the mappings before it.
    if (label === undefined)
      return { ...kind, dependsOn: [...new Set([...kind.dependsOn, 'system-record'])] };
    return provenResource(kind, {
      identityLabel: label,
      ledger,
      ...(kind.key === 'function' ? { stamp: stampFunction } : {}),
    });
  });
}

export function bootstrapResources(settings: BootstrapSettings): SystemResource[] {
  return proveOwnership(settings, unprovenResources(settings));
}

function unprovenResources(settings: BootstrapSettings): SystemResource[] {
  const { region } = settings;
  const roles = systemRoleNames(region);
  const boundary = managedPolicyResource({
    key: 'boundary-policy',
    name: POLICY_NAMES.boundary(region),
    region,
    description: 'LambdaFlex: permissions boundary of every stack role of this region',
    document: (refs) => {
      const w = where(settings, refs);
      return w && stackBoundaryPolicy(w);
    },
  });
  const stackLogs = managedPolicyResource({
    key: 'stack-logs-policy',
    name: POLICY_NAMES.stackLogs(region),
    region,
    description: "LambdaFlex: lets a stack's task execution role create the stack's log group",
    document: (refs) => {
      const w = where(settings, refs);
      return w && stackLogsPolicy(w);
    },
  });
  const stackTable = managedPolicyResource({
    key: 'stack-table-policy',
    name: POLICY_NAMES.stackTable(region),
    region,
    description: "LambdaFlex: lets a stack's function role read and write its own item of the state table",
    document: (refs) => {
      const w = where(settings, refs);
      return w && stackTablePolicy(w);
    },
  });
  const parts = PARTS.map((part) =>
    managedPolicyResource({
      key: policyPartKey(part),
      name: POLICY_NAMES.reconciler(region, part),
      region,
      description: `LambdaFlex reconciler (${POLICY_PARTS[part].join(', ')}): generated least privilege`,
      document: (refs) => {
        const context = policyContext(settings, refs);
        return context && reconcilerPolicies(context).find((p) => p.part === part)!.document;
      },
    }),
  );
  const reconcilerRole = systemRoleResource({
    key: 'reconciler-role',
    roleName: roles.reconcilerRole,
    principal: 'lambda.amazonaws.com',
    description: `LambdaFlex reconciler in ${region}: what it may do to the stacks (generated least-privilege policy)`,
    dependsOn: ['table', ...parts.map((p) => p.key)],
    // Its own logs, and the parts of its policy.
    managedPolicies: ['AWSLambdaBasicExecutionRole'],
    customerPolicies: {
      names: PARTS.map((part) => POLICY_NAMES.reconciler(region, part)),
      keys: parts.map((p) => p.key),
    },
  });
  const invoke = managedPolicyResource({
    key: 'scheduler-policy',
    name: POLICY_NAMES.invoke(region),
    region,
    description: `LambdaFlex: invoke the reconciler in ${region} (EventBridge Scheduler's role)`,
    // The function's ARN is known before the function exists: same account and region as the table.
    document: (refs) => {
      const w = where(settings, refs);
      if (!w) return undefined;
      const fn = `arn:${w.partition}:lambda:${w.region}:${w.account}:function:${SYSTEM_NAMES.function}`;
      return {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [fn, `${fn}:*`] }],
      };
    },
  });
  const schedulerRole = systemRoleResource({
    key: 'scheduler-role',
    roleName: roles.schedulerRole,
    principal: 'scheduler.amazonaws.com',
    description: `LambdaFlex: lets EventBridge Scheduler invoke the reconciler in ${region}`,
    dependsOn: ['table', invoke.key],
    managedPolicies: [],
    customerPolicies: { names: [POLICY_NAMES.invoke(region)], keys: [invoke.key] },
  });
  return [
    settings.manageTable === false
      ? externalTableResource(settings.dynamodb, settings.tableName)
      : tableResource(settings.dynamodb, settings.tableName),
    systemRecordResource(settings.dynamodb, settings.tableName, {
      hostedZones: [...(settings.hostedZones ?? [])],
      zoneNames: settings.zoneNames ?? {},
      ...(settings.maxReservedConcurrency !== undefined
        ? { maxReservedConcurrency: settings.maxReservedConcurrency }
        : {}),
      ...(settings.maxFargateVcpus !== undefined ? { maxFargateVcpus: settings.maxFargateVcpus } : {}),
    }),
    boundary,
    stackLogs,
    stackTable,
    ...parts,
    invoke,
    reconcilerRole,
    schedulerRole,
    reconcilerFunctionResource({
      zip: settings.zip,
      tableName: settings.tableName,
      memoryMb: settings.memoryMb ?? 512,
      // Longer than a minute would let passes pile up behind the schedule; leases keep them apart anyway.
      timeoutSeconds: settings.timeoutSeconds ?? 120,
      parallelism: settings.parallelism ?? DEFAULT_PARALLELISM,
    }),
    everyMinuteScheduleResource,
    ...fanOutResources(settings),
  ];
}

/**
 * The fan-out (reconciler/dispatch/): the work queue and its dead-letter queue, the workers' mapping on
 * the queue, and the dispatcher's mapping on the table's stream. A table bootstrap does not own (the
 * local sandbox's dynalite, which has no streams) gets no stream: edits then wait for the schedule.
 */
function fanOutResources(settings: BootstrapSettings): SystemResource[] {
  const queueMapping = eventSourceMappingResource({
    key: 'queue-mapping',
    sourceKey: WORK_QUEUE_KEY,
    sourceArnPattern: new RegExp(`:${WORK_QUEUE.name.replace('.', '\\.')}$`),
    settings: { batchSize: WORKERS.batchSize, maximumConcurrency: WORKERS.maximumConcurrency },
  });
  if (settings.manageTable === false) return [deadLetterQueueResource, workQueueResource, queueMapping];
  const streamMapping = eventSourceMappingResource({
    key: 'stream-mapping',
    sourceKey: TABLE_STREAM_KEY,
    sourceArnPattern: new RegExp(`:table/${settings.tableName.replace(/[.]/g, '\\.')}/stream/`),
    settings: { batchSize: 100, startingPosition: 'LATEST', maximumRetryAttempts: STREAM_RETRY_ATTEMPTS },
  });
  return [
    deadLetterQueueResource,
    workQueueResource,
    tableStreamResource(settings.dynamodb, settings.tableName),
    queueMapping,
    streamMapping,
  ];
}

/** For `--destroy`: a pending requeue schedule is deleted first. */
export function destroyResources(settings: BootstrapSettings): SystemResource[] {
  return [...bootstrapResources(settings), requeueScheduleResource];
}

/**
 * The keys `--destroy` leaves alone: a table bootstrap does not own. It stays in the graph (the policies
 * read its ARN) but out of the plan, which would otherwise plan its delete every pass.
 */
export function keptOnDestroy(settings: BootstrapSettings): Set<string> {
  return new Set(settings.manageTable === false ? ['table'] : []);
}

export { SYSTEM_SPEC } from './system-spec';
