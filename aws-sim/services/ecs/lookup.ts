/**
 * ECS ARNs and look-ups. Every ECS call takes a cluster, service, task or task definition either by
 * name (or id, or `family:revision`) or by full ARN; these turn either into the record or the error AWS gives.
 */
import type { SimAccount } from '../../core/account';
import { derivedIndex, groupBy } from '../../core/derived';
import type { OperationContext } from '../../core/service';
import type { ClusterRecord, EcsState, ServiceRecord, TaskDefinitionRecord, TaskRecord } from './state';

type Ctx = OperationContext<EcsState>;

/** The part after `<type>/` of an ECS ARN, or the text itself when it is not an ARN. */
function resourcePath(text: string, type: string): string {
  const marker = `:${type}/`;
  const at = text.startsWith('arn:') ? text.indexOf(marker) : -1;
  return at >= 0 ? text.slice(at + marker.length) : text;
}

export function clusterArn(account: SimAccount, name: string): string {
  return account.arn('ecs', `cluster/${name}`);
}

export function serviceArn(account: SimAccount, clusterName: string, serviceName: string): string {
  return account.arn('ecs', `service/${clusterName}/${serviceName}`);
}

export function clusterNameOf(arn: string): string {
  return resourcePath(arn, 'cluster');
}

/** The cluster named by `cluster` (name or ARN; AWS's default is `default`), ACTIVE or not. */
export function findCluster(
  state: EcsState,
  account: SimAccount,
  cluster: string | undefined,
): ClusterRecord | undefined {
  return state.clusters[clusterArn(account, clusterNameOf(cluster ?? 'default'))];
}

export function activeClusterOrFail(ctx: Ctx, cluster: string | undefined): ClusterRecord {
  const record = findCluster(ctx.state, ctx.account, cluster);
  if (!record || record.status !== 'ACTIVE') ctx.fail('ClusterNotFoundException', 'Cluster not found.');
  return record;
}

/** `service/<cluster>/<name>` (current format) or `service/<name>` (old format), or a bare name. */
export function serviceNameOf(text: string): string {
  const path = resourcePath(text, 'service');
  return path.slice(path.lastIndexOf('/') + 1);
}

export function findService(
  state: EcsState,
  account: SimAccount,
  cluster: ClusterRecord,
  service: string,
): ServiceRecord | undefined {
  return state.services[serviceArn(account, cluster.name, serviceNameOf(service))];
}

export function serviceOrFail(ctx: Ctx, cluster: ClusterRecord, service: string): ServiceRecord {
  const record = findService(ctx.state, ctx.account, cluster, service);
  if (!record) ctx.fail('ServiceNotFoundException', 'Service not found.');
  return record;
}

/** `family`, `family:revision` or an ARN; a bare family means its latest ACTIVE revision. */
export function findTaskDefinition(
  state: EcsState,
  account: SimAccount,
  text: string,
): TaskDefinitionRecord | undefined {
  const path = resourcePath(text, 'task-definition');
  if (path.includes(':')) return state.taskDefinitions[account.arn('ecs', `task-definition/${path}`)];
  let latest: TaskDefinitionRecord | undefined;
  for (let revision = state.families[path] ?? 0; revision > 0 && !latest; revision--) {
    const candidate = state.taskDefinitions[account.arn('ecs', `task-definition/${path}:${revision}`)];
    if (candidate?.status === 'ACTIVE') latest = candidate;
  }
  return latest;
}

/** Task ARN from a task id (with the cluster) or an ARN. */
export function taskArnOf(account: SimAccount, cluster: ClusterRecord, task: string): string {
  return task.startsWith('arn:') ? task : account.arn('ecs', `task/${cluster.name}/${task}`);
}

/**
 * Services and tasks by cluster ARN: DescribeClusters counts them for every cluster it describes, which
 * scanned every service and task of the account.
 */
const servicesByCluster = derivedIndex((services: EcsState['services']) =>
  groupBy(Object.values(services), (service) => [service.clusterArn]),
);
const tasksByCluster = derivedIndex((tasks: EcsState['tasks']) =>
  groupBy(Object.values(tasks), (task) => [task.clusterArn]),
);

export function servicesOfCluster(state: EcsState, clusterArn: string): readonly ServiceRecord[] {
  return servicesByCluster.get(state.services).get(clusterArn) ?? [];
}

/** The service's tasks that the account still holds (an ARN whose task was forgotten is skipped). */
export function tasksOfService(state: EcsState, service: ServiceRecord): TaskRecord[] {
  const tasks: TaskRecord[] = [];
  for (const arn of service.taskArns) {
    const task = state.tasks[arn];
    if (task) tasks.push(task);
  }
  return tasks;
}

export function tasksOfCluster(state: EcsState, clusterArn: string): readonly TaskRecord[] {
  return tasksByCluster.get(state.tasks).get(clusterArn) ?? [];
}

/** After a service is added or replaced (CreateService) or forgotten (past retention). */
export function servicesChanged(state: EcsState): void {
  servicesByCluster.invalidate(state.services);
}

/** After a task is launched or forgotten (past retention). */
export function tasksChanged(state: EcsState): void {
  tasksByCluster.invalidate(state.tasks);
}
