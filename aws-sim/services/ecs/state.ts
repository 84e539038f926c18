/** State of the simulated Amazon ECS (Fargate only): plain JSON keyed by ARN, saved with the account. */
import type { TagMap } from '../../core/tags';

export interface EcsConfig {
  /** PROVISIONING lasts this long (ENI attach); then PENDING (image pull) until taskStartMs. */
  taskProvisioningMs: number;
  /** Creation to RUNNING (docs/aws-facts.md: 45 s default, image pull dominates). */
  taskStartMs: number;
  /** STOPPING → STOPPED after SIGTERM (the container's stop timeout, 30 s at most). */
  taskStopMs: number;
  /** How long stopped tasks and INACTIVE services stay describable ("at least one hour" for tasks). */
  retentionMs: number;
}

export interface ClusterRecord {
  arn: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  tags: TagMap;
}

export interface ContainerDefinition {
  name?: string;
  image?: string;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  [member: string]: unknown;
}

export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  /** DELETE_IN_PROGRESS: submitted for deletion, kept while a task or service runs it, then gone. */
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  registeredAt: number;
  deregisteredAt?: number;
  /** Task-level cpu and memory in CPU units and MiB, as AWS echoes them ("256", "512"). */
  cpu?: string;
  memory?: string;
  networkMode: string;
  requiresCompatibilities: string[];
  containerDefinitions: ContainerDefinition[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  runtimePlatform?: Record<string, unknown>;
  tags: TagMap;
}

export interface ServiceLoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

export interface AwsVpcConfiguration {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: 'ENABLED' | 'DISABLED';
}

export interface DeploymentRecord {
  id: string;
  taskDefinitionArn: string;
  status: 'PRIMARY' | 'ACTIVE';
  createdAt: number;
  updatedAt: number;
  /** When every task of the deployment was ready and the older ones gone (rolloutState COMPLETED). */
  completedAt?: number;
  /** Tasks of this deployment that stopped before they were ready (what the circuit breaker counts). */
  failedTasks?: number;
  /** Set when the circuit breaker failed the deployment (rolloutState FAILED): it launches nothing more. */
  failedAt?: number;
  /** Why the rollout is where it is, when ECS says more than "in progress" (a rollback). */
  rolloutStateReason?: string;
}

/** The service's deploymentConfiguration (rolling update, the only deployment controller modelled). */
export interface DeploymentConfigurationRecord {
  circuitBreaker: { enable: boolean; rollback: boolean };
  maximumPercent: number;
  minimumHealthyPercent: number;
}

export interface ServiceRecord {
  arn: string;
  name: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn: string;
  launchType: 'FARGATE';
  network: AwsVpcConfiguration;
  loadBalancers: ServiceLoadBalancer[];
  healthCheckGracePeriodSeconds?: number;
  propagateTags?: string;
  enableECSManagedTags: boolean;
  clientToken?: string;
  createdAt: number;
  deletedAt?: number;
  inactiveAt?: number;
  /** Newest first; the first is PRIMARY. */
  deployments: DeploymentRecord[];
  /** Absent in accounts saved before it was modelled: the API's default (no circuit breaker). */
  deploymentConfiguration?: DeploymentConfigurationRecord;
  /** The last deployment that reached COMPLETED: what the circuit breaker rolls back to. */
  lastCompleted?: { id: string; taskDefinitionArn: string };
  /** Tasks of this service still kept (live, stopping, or recently stopped). */
  taskArns: string[];
  /** Round-robin position over the subnets, so tasks spread over the zones as ECS spreads them. */
  nextSubnetIndex: number;
  tags: TagMap;
}

export interface TaskNetwork {
  attachmentId: string;
  networkInterfaceId: string;
  subnetId: string;
  availabilityZone: string;
  privateIpAddress: string;
  publicIp?: string;
}

export interface TaskRecord {
  arn: string;
  clusterArn: string;
  serviceArn?: string;
  deploymentId?: string;
  group: string;
  startedBy?: string;
  taskDefinitionArn: string;
  cpu?: string;
  memory?: string;
  createdAt: number;
  /** PROVISIONING before, PENDING after (until runningAt). */
  pendingAt: number;
  /** createdAt + taskStartMs: PROVISIONING and PENDING before, RUNNING after (unless stopped first). */
  runningAt: number;
  /**
   * Set when the task's image can't run (`setImageBroken`): its essential container exits at this time,
   * before the task is ever RUNNING, and the task stops.
   */
  failsAt?: number;
  /** Load balancer targets, registered at runningAt. */
  targets: { targetGroupArn: string; port: number }[];
  registered: boolean;
  /** Set when a stop is asked for: DEACTIVATING (draining) until deactivatedAt, STOPPING until stoppedAt. */
  stoppingAt?: number;
  deactivatedAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  /** ENI released to linger (done once, at stoppedAt). */
  networkReleased: boolean;
  network: TaskNetwork;
  tags: TagMap;
}

export interface EcsState {
  config: EcsConfig;
  clusters: Record<string, ClusterRecord>;
  taskDefinitions: Record<string, TaskDefinitionRecord>;
  /** Last revision number per family (revisions are never reused, even after deregistration). */
  families: Record<string, number>;
  services: Record<string, ServiceRecord>;
  tasks: Record<string, TaskRecord>;
  /** CreateService clientToken → service ARN. */
  clientTokens: Record<string, string>;
  /** Container images whose tasks exit at start (a test's knob: `setImageBroken`). */
  brokenImages?: string[];
}

export const DEFAULT_ECS_CONFIG: EcsConfig = {
  taskProvisioningMs: 15_000,
  taskStartMs: 45_000,
  taskStopMs: 10_000,
  retentionMs: 3_600_000,
};

export function initialEcsState(): EcsState {
  return {
    config: { ...DEFAULT_ECS_CONFIG },
    clusters: {},
    taskDefinitions: {},
    families: {},
    services: {},
    tasks: {},
    clientTokens: {},
  };
}
