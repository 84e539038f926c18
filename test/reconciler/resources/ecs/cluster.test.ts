import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { NotCreatedHereError } from '../../../../reconciler/resources/common/created-here';
import { clusterResource } from '../../../../reconciler/resources/ecs/cluster';
import { awsError, testContext } from '../fixtures';
import { CLUSTER_ARN, OWN_ECS_TAGS } from '../fargate-refs';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const ecs = mockClient(ECSClient);
beforeEach(() => ecs.reset());

const cluster = (status: string, tags = OWN_ECS_TAGS('cluster')) => ({
  clusterArn: CLUSTER_ARN,
  clusterName: 'lf-orders-api-cluster',
  status,
  tags,
});

describe('clusterResource', () => {
  it('creates the cluster by name, tagged', async () => {
    ecs.on(CreateClusterCommand).resolves({ cluster: cluster('ACTIVE', []) });
    const created = await clusterResource.create(testContext());
    expect(ecs).toHaveReceivedCommandWith(CreateClusterCommand, {
      clusterName: 'lf-orders-api-cluster',
      tags: OWN_ECS_TAGS('cluster'),
    });
    // Tagged in the call even when the answer does not echo the tags.
    expect(created).toMatchObject({ id: CLUSTER_ARN, foreign: false, ready: true });
  });

  it('under a journaled nonce, refuses an answer without it: CreateCluster answers with an active cluster of the name', async () => {
    const nonce = { key: 'lambdaflex:nonce', value: 'n-1' };
    ecs
      .on(CreateClusterCommand)
      .resolves({ cluster: cluster('ACTIVE', [...OWN_ECS_TAGS('cluster'), nonce]) });
    await expect(clusterResource.create({ ...testContext(), nonce: 'n-1' })).resolves.toMatchObject({
      id: CLUSTER_ARN,
    });
    expect(ecs).toHaveReceivedCommandWith(CreateClusterCommand, {
      clusterName: 'lf-orders-api-cluster',
      tags: [...OWN_ECS_TAGS('cluster'), nonce],
    });

    ecs.on(CreateClusterCommand).resolves({ cluster: cluster('ACTIVE', OWN_ECS_TAGS('cluster')) });
    await expect(clusterResource.create({ ...testContext(), nonce: 'n-1' })).rejects.toThrow(
      NotCreatedHereError,
    );
    // An answer without tags: read back.
    ecs.on(CreateClusterCommand).resolves({ cluster: cluster('ACTIVE', []) });
    ecs
      .on(DescribeClustersCommand)
      .resolves({ clusters: [cluster('ACTIVE', [...OWN_ECS_TAGS('cluster'), nonce])] });
    await expect(clusterResource.create({ ...testContext(), nonce: 'n-1' })).resolves.toMatchObject({
      id: CLUSTER_ARN,
    });
    expect(ecs).toHaveReceivedCommandWith(DescribeClustersCommand, {
      clusters: ['lf-orders-api-cluster'],
      include: ['TAGS'],
    });
  });

  it('finds it with its tags', async () => {
    ecs.on(DescribeClustersCommand).resolves({ clusters: [cluster('ACTIVE')] });
    const found = await clusterResource.find(testContext());
    expect(ecs).toHaveReceivedCommandWith(DescribeClustersCommand, {
      clusters: ['lf-orders-api-cluster'],
      include: ['TAGS'],
    });
    expect(found).toMatchObject({ id: CLUSTER_ARN, state: 'ACTIVE', ready: true, foreign: false });
    expect(found!.attributes).toEqual(
      clusterResource.desiredAttributes(testContext().spec, {}, DEFAULT_INTENT),
    );
  });

  it('treats a MISSING failure, an INACTIVE cluster and ClusterNotFound as gone', async () => {
    ecs
      .on(DescribeClustersCommand)
      .resolves({ clusters: [], failures: [{ arn: CLUSTER_ARN, reason: 'MISSING' }] });
    await expect(clusterResource.find(testContext())).resolves.toBeUndefined();
    ecs.on(DescribeClustersCommand).resolves({ clusters: [cluster('INACTIVE')] });
    await expect(clusterResource.find(testContext())).resolves.toBeUndefined();
    ecs.on(DescribeClustersCommand).rejects(awsError('ClusterNotFoundException'));
    await expect(clusterResource.find(testContext())).resolves.toBeUndefined();
  });

  it('reports a same-named cluster without our tags as foreign, and refuses to delete it', async () => {
    ecs
      .on(DescribeClustersCommand)
      .resolves({ clusters: [cluster('ACTIVE', [{ key: 'team', value: 'x' }])] });
    const found = (await clusterResource.find(testContext()))!;
    expect(found.foreign).toBe(true);
    await expect(clusterResource.delete(testContext(), found)).rejects.toThrow(/not tagged/);
    expect(ecs).not.toHaveReceivedCommand(DeleteClusterCommand);
  });

  it('deletes by ARN; already gone is done', async () => {
    ecs.on(DescribeClustersCommand).resolves({ clusters: [cluster('ACTIVE')] });
    const found = (await clusterResource.find(testContext()))!;
    ecs.on(DeleteClusterCommand).rejects(awsError('ClusterNotFoundException'));
    await expect(clusterResource.delete(testContext(), found)).resolves.toBeUndefined();
    expect(ecs).toHaveReceivedCommandWith(DeleteClusterCommand, { cluster: CLUSTER_ARN });
  });

  it.each([
    ['ClusterNotFoundException', 'notFound'],
    ['ClusterContainsServicesException', 'retryable'],
    ['ClusterContainsTasksException', 'retryable'],
    ['UpdateInProgressException', 'retryable'],
    ['ClientException', 'terminal'],
    ['AccessDeniedException', 'terminal'],
  ])('classifies %s as %s', (code, verdict) => {
    expect(classify(awsError(code), clusterResource.errors)).toBe(verdict);
  });
});
