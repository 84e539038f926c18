/**
 * ECS services: CreateService (clientToken idempotency; a name ACTIVE or DRAINING → "Creation of service
 * was not idempotent"; awsvpc network configuration; a target group must already be reached by a listener),
 * DescribeServices (`failures` MISSING), UpdateService (scale, or a new deployment replacing the tasks;
 * the deployment configuration and its circuit breaker, deployments.ts),
 * DeleteService (desiredCount > 0 needs `force`; ACTIVE → DRAINING → INACTIVE), ListServices.
 */
import type { OperationInput } from '../common/input';
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import { findTargetGroup, targetGroupHasLoadBalancer } from '../elbv2/api';
import { findSubnet, securityGroupVpc } from '../common/network-interfaces';
import {
  activeClusterOrFail,
  findService,
  findTaskDefinition,
  serviceArn,
  serviceNameOf,
  serviceOrFail,
  servicesChanged,
} from './lookup';
import { DEFAULT_DEPLOYMENT_CONFIGURATION, newDeployment } from './deployments';
import { reconcileService } from './scheduler';
import { describeService } from './shapes';
import type {
  AwsVpcConfiguration,
  DeploymentConfigurationRecord,
  EcsState,
  ServiceLoadBalancer,
  ServiceRecord,
  TaskDefinitionRecord,
} from './state';
import { tagsFromInput } from './tags';

type Ctx = OperationContext<EcsState>;

const MAX_CLIENT_TOKEN = 36;
const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

function invalid(ctx: Ctx, message: string): never {
  return ctx.fail('InvalidParameterException', message);
}

/**
 * DeploymentConfiguration as given, over `base`: the circuit breaker needs both `enable` and `rollback`
 * (both required members of DeploymentCircuitBreaker).
 */
function readDeploymentConfiguration(
  input: OperationInput | undefined,
  base: DeploymentConfigurationRecord,
  ctx: Ctx,
): DeploymentConfigurationRecord {
  if (!input) return base;
  const breaker = input.deploymentCircuitBreaker as OperationInput | undefined;
  if (breaker && (typeof breaker.enable !== 'boolean' || typeof breaker.rollback !== 'boolean')) {
    invalid(ctx, 'deploymentCircuitBreaker needs both enable and rollback.');
  }
  const maximumPercent = input.maximumPercent ?? base.maximumPercent;
  const minimumHealthyPercent = input.minimumHealthyPercent ?? base.minimumHealthyPercent;
  if (!(maximumPercent >= 100) || !(minimumHealthyPercent >= 0 && minimumHealthyPercent <= 100)) {
    invalid(ctx, 'maximumPercent must be at least 100 and minimumHealthyPercent between 0 and 100.');
  }
  return {
    circuitBreaker: breaker ? { enable: breaker.enable, rollback: breaker.rollback } : base.circuitBreaker,
    maximumPercent,
    minimumHealthyPercent,
  };
}

function activeTaskDefinition(ctx: Ctx, text: string): TaskDefinitionRecord {
  const record = findTaskDefinition(ctx.state, ctx.account, text);
  if (!record) ctx.fail('ClientException', 'TaskDefinition not found.');
  if (record.status !== 'ACTIVE') invalid(ctx, 'TaskDefinition is inactive');
  if (!record.requiresCompatibilities.includes('FARGATE')) {
    invalid(ctx, 'Task definition does not support launch_type FARGATE.');
  }
  return record;
}

function readNetwork(input: OperationInput | undefined, ctx: Ctx): AwsVpcConfiguration {
  const config = input?.awsvpcConfiguration;
  if (!config) invalid(ctx, "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  const subnets = [...new Set<string>(config.subnets ?? [])];
  if (subnets.length === 0 || subnets.length > 16) invalid(ctx, 'subnets can not be empty (and at most 16).');
  const vpcs = new Set<string>();
  for (const subnetId of subnets) {
    const subnet = findSubnet(ctx.account, subnetId);
    if (!subnet)
      invalid(
        ctx,
        `Error retrieving subnet information for [${subnetId}]: The subnet ID '${subnetId}' does not exist`,
      );
    vpcs.add(subnet.vpcId);
  }
  if (vpcs.size > 1) invalid(ctx, 'Subnets must all belong to the same VPC.');
  const securityGroups = [...new Set<string>(config.securityGroups ?? [])];
  if (securityGroups.length > 5) invalid(ctx, 'A maximum of 5 security groups is allowed.');
  for (const groupId of securityGroups) {
    const vpc = securityGroupVpc(ctx.account, groupId);
    if (vpc === undefined)
      invalid(
        ctx,
        `Error retrieving security group information for [${groupId}]: The security group '${groupId}' does not exist`,
      );
    if (!vpcs.has(vpc)) invalid(ctx, `Security group ${groupId} is not in the same VPC as the subnets.`);
  }
  const assignPublicIp = config.assignPublicIp ?? 'DISABLED';
  if (assignPublicIp !== 'ENABLED' && assignPublicIp !== 'DISABLED')
    invalid(ctx, 'assignPublicIp must be ENABLED or DISABLED.');
  return { subnets, securityGroups, assignPublicIp };
}

function readLoadBalancers(
  list: OperationInput[] | undefined,
  taskDefinition: TaskDefinitionRecord,
  ctx: Ctx,
): ServiceLoadBalancer[] {
  return (list ?? []).map((entry) => {
    const targetGroupArn = entry.targetGroupArn as string | undefined;
    if (!targetGroupArn)
      invalid(ctx, 'The simulated AWS supports only targetGroupArn load balancers (no Classic ELB).');
    const group = findTargetGroup(ctx.account, targetGroupArn);
    if (!group) invalid(ctx, `Unable to find target group ${targetGroupArn}.`);
    // Seen in many reports (e.g. terraform #32908): the listener must exist before the service.
    if (!targetGroupHasLoadBalancer(ctx.account, targetGroupArn)) {
      invalid(
        ctx,
        `The target group with targetGroupArn ${targetGroupArn} does not have an associated load balancer.`,
      );
    }
    if (group.targetType !== 'ip') {
      invalid(
        ctx,
        `The provided target group ${targetGroupArn} has target type ${group.targetType}, which is incompatible with the awsvpc network mode specified in the task definition.`,
      );
    }
    const container = taskDefinition.containerDefinitions.find((c) => c.name === entry.containerName);
    if (!container)
      invalid(ctx, `The container ${entry.containerName} does not exist in the task definition.`);
    if (!(container.portMappings ?? []).some((m) => m.containerPort === entry.containerPort)) {
      invalid(
        ctx,
        `The container ${entry.containerName} did not have a container port ${entry.containerPort} defined.`,
      );
    }
    return { targetGroupArn, containerName: entry.containerName, containerPort: entry.containerPort };
  });
}

function createService(input: OperationInput, ctx: Ctx) {
  const token = input.clientToken as string | undefined;
  if (token !== undefined && (token.length > MAX_CLIENT_TOKEN || !/^[\x20-\x7e]+$/.test(token))) {
    invalid(ctx, `clientToken must be at most ${MAX_CLIENT_TOKEN} ASCII characters.`);
  }
  const cluster = activeClusterOrFail(ctx, input.cluster);
  const name = String(input.serviceName);
  if (!SERVICE_NAME.test(name))
    invalid(ctx, 'Service name can only contain letters, numbers, hyphens and underscores (up to 255).');
  const byToken = token === undefined ? undefined : ctx.state.services[ctx.state.clientTokens[token]];
  if (byToken && byToken.name === name && byToken.clusterArn === cluster.arn) {
    return { service: describeService(ctx.state, ctx.account, byToken, false) };
  }
  const existing = findService(ctx.state, ctx.account, cluster, name);
  if (existing && existing.status !== 'INACTIVE') invalid(ctx, 'Creation of service was not idempotent.');
  const launchType = input.launchType ?? 'FARGATE';
  if (launchType !== 'FARGATE')
    invalid(ctx, `The simulated AWS runs only FARGATE services, not ${launchType}.`);
  const desiredCount = input.desiredCount ?? 0;
  if (!Number.isInteger(desiredCount) || desiredCount < 0)
    invalid(ctx, 'desiredCount must be a non-negative integer.');
  if (!input.taskDefinition) invalid(ctx, 'TaskDefinition must be specified.');
  const taskDefinition = activeTaskDefinition(ctx, input.taskDefinition);
  if (taskDefinition.networkMode !== 'awsvpc')
    invalid(ctx, "Fargate services need a task definition with networkMode 'awsvpc'.");
  const network = readNetwork(input.networkConfiguration, ctx);
  const loadBalancers = readLoadBalancers(input.loadBalancers, taskDefinition, ctx);
  if (input.healthCheckGracePeriodSeconds !== undefined && loadBalancers.length === 0) {
    invalid(ctx, 'Health check grace period is only valid for services configured to use load balancers');
  }
  const tags = tagsFromInput(input.tags, ctx);
  const arn = serviceArn(ctx.account, cluster.name, name);
  const record: ServiceRecord = {
    arn,
    name,
    clusterArn: cluster.arn,
    status: 'ACTIVE',
    desiredCount,
    taskDefinitionArn: taskDefinition.arn,
    launchType: 'FARGATE',
    network,
    loadBalancers,
    healthCheckGracePeriodSeconds:
      input.healthCheckGracePeriodSeconds ?? (loadBalancers.length ? 0 : undefined),
    propagateTags: input.propagateTags,
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    clientToken: token,
    createdAt: ctx.now,
    deployments: [newDeployment(ctx.account, taskDefinition.arn, ctx.now)],
    deploymentConfiguration: readDeploymentConfiguration(
      input.deploymentConfiguration,
      DEFAULT_DEPLOYMENT_CONFIGURATION,
      ctx,
    ),
    taskArns: existing?.taskArns ?? [],
    nextSubnetIndex: 0,
    tags,
  };
  if (existing?.clientToken) delete ctx.state.clientTokens[existing.clientToken];
  ctx.state.services[arn] = record;
  servicesChanged(ctx.state);
  if (token !== undefined) ctx.state.clientTokens[token] = arn;
  reconcileService(ctx.account, ctx.state, record, ctx.now);
  return { service: describeService(ctx.state, ctx.account, record, false) };
}

function describeServices(input: OperationInput, ctx: Ctx) {
  const cluster = activeClusterOrFail(ctx, input.cluster);
  const asked = (input.services ?? []) as string[];
  if (asked.length === 0 || asked.length > 10) invalid(ctx, 'services must name between 1 and 10 services.');
  const includeTags = ((input.include ?? []) as string[]).includes('TAGS');
  const services = [];
  const failures = [];
  for (const text of asked) {
    // "The Amazon ECS API follows an eventual consistency model" (ECS API reference): a service made
    // less than the account's consistency delay ago (the model EC2's reads follow; AWS gives no figure)
    // is answered MISSING; the calls that change it find it, as EC2's mutating calls do.
    const found = findService(ctx.state, ctx.account, cluster, text);
    const record = found && ctx.account.isVisible(found.createdAt) ? found : undefined;
    if (record) services.push(describeService(ctx.state, ctx.account, record, includeTags));
    else
      failures.push({ arn: serviceArn(ctx.account, cluster.name, serviceNameOf(text)), reason: 'MISSING' });
  }
  return { services, failures };
}

function updateService(input: OperationInput, ctx: Ctx) {
  const cluster = activeClusterOrFail(ctx, input.cluster);
  const record = serviceOrFail(ctx, cluster, input.service);
  if (record.status !== 'ACTIVE') ctx.fail('ServiceNotActiveException', 'Service was not ACTIVE.');
  if (input.desiredCount !== undefined) {
    if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0)
      invalid(ctx, 'desiredCount must be a non-negative integer.');
  }
  let taskDefinition = ctx.state.taskDefinitions[record.taskDefinitionArn];
  let redeploy = input.forceNewDeployment === true;
  if (input.taskDefinition !== undefined) {
    taskDefinition = activeTaskDefinition(ctx, input.taskDefinition);
    if (taskDefinition.arn !== record.taskDefinitionArn) redeploy = true;
  }
  const network = input.networkConfiguration ? readNetwork(input.networkConfiguration, ctx) : record.network;
  if (JSON.stringify(network) !== JSON.stringify(record.network)) redeploy = true;
  const loadBalancers = input.loadBalancers
    ? readLoadBalancers(input.loadBalancers, taskDefinition, ctx)
    : record.loadBalancers;
  if (JSON.stringify(loadBalancers) !== JSON.stringify(record.loadBalancers)) redeploy = true;

  // Changing the deployment configuration alone starts no deployment.
  record.deploymentConfiguration = readDeploymentConfiguration(
    input.deploymentConfiguration,
    record.deploymentConfiguration ?? DEFAULT_DEPLOYMENT_CONFIGURATION,
    ctx,
  );
  if (input.desiredCount !== undefined) record.desiredCount = input.desiredCount;
  if (input.healthCheckGracePeriodSeconds !== undefined)
    record.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
  record.network = network;
  record.loadBalancers = loadBalancers;
  record.taskDefinitionArn = taskDefinition.arn;
  if (redeploy) {
    for (const deployment of record.deployments) deployment.status = 'ACTIVE';
    record.deployments.unshift(newDeployment(ctx.account, taskDefinition.arn, ctx.now));
  }
  reconcileService(ctx.account, ctx.state, record, ctx.now);
  return { service: describeService(ctx.state, ctx.account, record, false) };
}

function deleteService(input: OperationInput, ctx: Ctx) {
  const cluster = activeClusterOrFail(ctx, input.cluster);
  const record = serviceOrFail(ctx, cluster, input.service);
  if (record.status !== 'ACTIVE') ctx.fail('ServiceNotActiveException', 'Service was not ACTIVE.');
  if (record.desiredCount > 0 && input.force !== true) {
    // DeleteService API reference: scale to 0 first, or use force.
    invalid(ctx, 'The service cannot be stopped while it is scaled above 0.');
  }
  record.desiredCount = 0;
  record.status = 'DRAINING';
  record.deletedAt = ctx.now;
  reconcileService(ctx.account, ctx.state, record, ctx.now);
  return { service: describeService(ctx.state, ctx.account, record, false) };
}

export const serviceOperations: Record<string, Operation<EcsState>> = {
  CreateService: { mutating: true, required: ['serviceName'], handle: createService },
  DescribeServices: { mutating: false, required: ['services'], handle: describeServices },
  UpdateService: { mutating: true, required: ['service'], handle: updateService },
  DeleteService: { mutating: true, required: ['service'], handle: deleteService },
  ListServices: {
    mutating: false,
    handle: (input, ctx) => {
      const cluster = activeClusterOrFail(ctx, input.cluster);
      const arns = Object.values(ctx.state.services)
        .filter((s) => s.clusterArn === cluster.arn && s.status !== 'INACTIVE')
        .map((s) => s.arn);
      const page = paginate(arns, input.nextToken, Math.min(input.maxResults ?? 10, 100), 10);
      return { serviceArns: page.items, nextToken: page.nextToken };
    },
  },
};
