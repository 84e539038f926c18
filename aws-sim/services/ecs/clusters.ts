/**
 * ECS clusters: CreateCluster (idempotent by name: the existing cluster comes back), DescribeClusters
 * (`failures` with reason MISSING for unknown ones), ListClusters, DeleteCluster
 * (`ClusterContainsServicesException` while ACTIVE or DRAINING services remain).
 */
import type { OperationInput } from '../common/input';
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import { toLowerKeyValueList } from '../../core/tags';
import { clusterArn, clusterNameOf, findCluster, servicesOfCluster, tasksOfCluster } from './lookup';
import { taskStatus } from './task-lifecycle';
import type { ClusterRecord, EcsState } from './state';
import { tagsFromInput } from './tags';

type Ctx = OperationContext<EcsState>;

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

function describeCluster(record: ClusterRecord, ctx: Ctx, includeTags: boolean) {
  let active = 0;
  for (const service of servicesOfCluster(ctx.state, record.arn)) {
    if (service.status !== 'INACTIVE') active += 1;
  }
  let running = 0;
  let pending = 0;
  for (const task of tasksOfCluster(ctx.state, record.arn)) {
    const status = taskStatus(task, ctx.now);
    if (status === 'RUNNING') running += 1;
    else if (status === 'PROVISIONING' || status === 'PENDING') pending += 1;
  }
  return {
    clusterArn: record.arn,
    clusterName: record.name,
    status: record.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: running,
    pendingTasksCount: pending,
    activeServicesCount: active,
    statistics: [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
    tags: includeTags ? toLowerKeyValueList(record.tags) : undefined,
  };
}

function createCluster(input: OperationInput, ctx: Ctx) {
  const name = input.clusterName ?? 'default';
  if (!CLUSTER_NAME.test(name)) {
    ctx.fail(
      'InvalidParameterException',
      'Cluster name can only contain letters, numbers, hyphens and underscores (up to 255).',
    );
  }
  const tags = tagsFromInput(input.tags, ctx);
  const arn = clusterArn(ctx.account, name);
  const existing = ctx.state.clusters[arn];
  if (existing?.status === 'ACTIVE') return { cluster: describeCluster(existing, ctx, true) };
  const record: ClusterRecord = { arn, name, status: 'ACTIVE', createdAt: ctx.now, tags };
  ctx.state.clusters[arn] = record;
  return { cluster: describeCluster(record, ctx, true) };
}

function describeClusters(input: OperationInput, ctx: Ctx) {
  const asked = (input.clusters as string[] | undefined)?.length ? (input.clusters as string[]) : ['default'];
  const includeTags = ((input.include ?? []) as string[]).includes('TAGS');
  const clusters = [];
  const failures = [];
  for (const cluster of asked) {
    const record = findCluster(ctx.state, ctx.account, cluster);
    if (record) clusters.push(describeCluster(record, ctx, includeTags));
    else failures.push({ arn: clusterArn(ctx.account, clusterNameOf(cluster)), reason: 'MISSING' });
  }
  return { clusters, failures };
}

function deleteCluster(input: OperationInput, ctx: Ctx) {
  const record = findCluster(ctx.state, ctx.account, input.cluster);
  if (!record || record.status !== 'ACTIVE') ctx.fail('ClusterNotFoundException', 'Cluster not found.');
  const services = Object.values(ctx.state.services).filter(
    (s) => s.clusterArn === record.arn && s.status !== 'INACTIVE',
  );
  if (services.length > 0) {
    ctx.fail('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
  }
  const tasks = Object.values(ctx.state.tasks).filter(
    (t) => t.clusterArn === record.arn && taskStatus(t, ctx.now) !== 'STOPPED',
  );
  if (tasks.length > 0) {
    ctx.fail('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
  }
  record.status = 'INACTIVE';
  return { cluster: describeCluster(record, ctx, false) };
}

export const clusterOperations: Record<string, Operation<EcsState>> = {
  CreateCluster: { mutating: true, handle: createCluster },
  DescribeClusters: { mutating: false, handle: describeClusters },
  DeleteCluster: { mutating: true, required: ['cluster'], handle: deleteCluster },
  ListClusters: {
    mutating: false,
    handle: (input, ctx) => {
      const arns = Object.values(ctx.state.clusters)
        .filter((c) => c.status === 'ACTIVE')
        .map((c) => c.arn);
      const page = paginate(arns, input.nextToken, input.maxResults, 100);
      return { clusterArns: page.items, nextToken: page.nextToken };
    },
  },
};
