/**
 * The ECS cluster of the Fargate tier. CreateCluster is idempotent by name (it returns the existing
 * cluster), yet the engine still looks it up first so that a same-named cluster without our tag is
 * reported, not adopted, and the create proves its answer carries its nonce before it is recorded. A
 * deleted cluster stays visible as INACTIVE for a while: that counts as gone.
 */
import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  type Cluster,
} from '@aws-sdk/client-ecs';
import { isOwnedBy, names, nonceTags, ownershipTags } from '../../../spec';
import { confirmCreatedHere } from '../common/created-here';
import { ecsTagRecord, ecsTags } from './tags';
import { assertOwned } from '../common/foreign-guard';
import { deleteIgnoringGone, orUndefinedIfGone } from '../common/not-found';
import type { ObservedResource, ResourceContext, StackResource, Waiters } from '../types';
import { readyByState } from '../common/waiters';
import { RESOURCE_KEYS } from '../keys';

const KEY = RESOURCE_KEYS.cluster;
const TYPE = 'AWS::ECS::Cluster';

/** ECS cluster statuses (ECS API reference, Cluster.status); INACTIVE is found as gone. */
const WAITERS: Waiters = {
  ready: { pending: ['PROVISIONING'], target: ['ACTIVE'] },
  gone: { pending: ['DEPROVISIONING'] },
};

function observe(cluster: Cluster, stack: string, tags = ecsTagRecord(cluster.tags)): ObservedResource {
  const status = cluster.status;
  return {
    key: KEY,
    type: TYPE,
    id: cluster.clusterArn!,
    arn: cluster.clusterArn,
    state: status,
    tags,
    attributes: { name: cluster.clusterName },
    ...readyByState(WAITERS, status, 'cluster'),
    foreign: !isOwnedBy(tags, stack),
  };
}

/** The tags of the active cluster of that name, as DescribeClusters shows them (undefined: not shown yet). */
async function clusterTags(ctx: ResourceContext, name: string): Promise<Record<string, string> | undefined> {
  const answer = await ctx.clients.ecs.send(
    new DescribeClustersCommand({ clusters: [name], include: ['TAGS'] }),
  );
  const cluster = answer.clusters?.find((candidate) => candidate.clusterName === name);
  return cluster && cluster.status !== 'INACTIVE' ? ecsTagRecord(cluster.tags) : undefined;
}

export const clusterResource: StackResource = {
  key: KEY,
  type: TYPE,
  service: 'ecs',
  steadyCheck: 'tagged',
  creates: 'name',
  tier: 'fargate',
  dependsOn: [],
  errors: {
    notFound: ['ClusterNotFoundException'],
    // Services (even DRAINING ones) and their tasks must be gone first.
    retryable: [
      'ClusterContainsServicesException',
      'ClusterContainsTasksException',
      'UpdateInProgressException',
    ],
    terminal: [
      'ClientException',
      'InvalidParameterException',
      'LimitExceededException',
      'AccessDeniedException',
    ],
  },
  immutable: ['name'],
  waiters: WAITERS,

  neededBy: () => true,

  desiredAttributes: (spec) => ({ name: names(spec.stack).cluster }),

  async find(ctx) {
    const name = names(ctx.spec.stack).cluster;
    const answer = await orUndefinedIfGone(
      () => ctx.clients.ecs.send(new DescribeClustersCommand({ clusters: [name], include: ['TAGS'] })),
      clusterResource.errors,
    );
    // A missing cluster is a `failures` entry (reason MISSING), not an error.
    const cluster = answer?.clusters?.find((candidate) => candidate.clusterName === name);
    if (!cluster?.clusterArn || cluster.status === 'INACTIVE') return undefined;
    return observe(cluster, ctx.spec.stack);
  },

  async create(ctx) {
    const name = names(ctx.spec.stack).cluster;
    const answer = await ctx.clients.ecs.send(
      new CreateClusterCommand({ clusterName: name, tags: ecsTags(ctx.spec.stack, KEY, ctx.nonce) }),
    );
    const arn = answer.cluster?.clusterArn;
    if (!arn) throw new Error(`CreateCluster returned no cluster for ${KEY}`);
    // CreateCluster with the name of an active cluster answers with that cluster, someone else's too.
    const answered = { key: KEY, id: arn, operation: 'CreateCluster' };
    const echoed = answer.cluster?.tags;
    const nonce = await confirmCreatedHere(answered, ctx, async () =>
      echoed?.length ? ecsTagRecord(echoed) : clusterTags(ctx, name),
    );
    // Tagged in the same call, whether or not AWS echoes the tags back.
    const tags = { ...ownershipTags(ctx.spec.stack, KEY), ...nonceTags(nonce) };
    return observe(answer.cluster!, ctx.spec.stack, tags);
  },

  async delete(ctx, current) {
    assertOwned(current, 'deleting');
    await deleteIgnoringGone(
      () => ctx.clients.ecs.send(new DeleteClusterCommand({ cluster: current.arn ?? current.id })),
      clusterResource.errors,
    );
  },
};
