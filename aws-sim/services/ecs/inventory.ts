/** ECS resources for `lambdaflex sim resources`, with CloudFormation type names (active task definition revisions only). */
import type { InventoryItem } from '../../core/service';
import type { EcsState } from './state';

export function ecsInventory(state: EcsState): InventoryItem[] {
  const items: InventoryItem[] = [];
  for (const cluster of Object.values(state.clusters)) {
    if (cluster.status !== 'ACTIVE') continue;
    items.push({
      type: 'AWS::ECS::Cluster',
      id: cluster.name,
      name: cluster.name,
      arn: cluster.arn,
      state: cluster.status,
      tags: { ...cluster.tags },
    });
  }
  for (const service of Object.values(state.services)) {
    if (service.status === 'INACTIVE') continue;
    items.push({
      type: 'AWS::ECS::Service',
      id: service.arn,
      name: service.name,
      arn: service.arn,
      state: service.status,
      tags: { ...service.tags },
    });
  }
  for (const definition of Object.values(state.taskDefinitions)) {
    if (definition.status !== 'ACTIVE') continue;
    items.push({
      type: 'AWS::ECS::TaskDefinition',
      id: definition.arn,
      name: `${definition.family}:${definition.revision}`,
      arn: definition.arn,
      state: definition.status,
      tags: { ...definition.tags },
    });
  }
  return items;
}
