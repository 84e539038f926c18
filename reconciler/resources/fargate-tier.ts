/**
 * Every resource kind of the Fargate tier, in creation order (each after what it depends on). The
 * planner deletes them in the reverse order, which is docs/aws-facts.md's deletion order.
 */
import { clusterKind } from './cluster';
import { ecsServiceKind } from './ecs-service';
import { executionRoleKind, executionRoleReplacedKind } from './execution-role';
import { taskRoleKind } from './task-role';
import { internetGatewayKind } from './internet-gateway';
import { listenerKind } from './listener';
import { loadBalancerKind } from './load-balancer';
import { routeTableKind } from './route-table';
import { scalableTargetKind, scalingPolicyKind } from './scaling';
import { securityGroupKind } from './security-group';
import { subnetKind } from './subnet';
import { targetGroupKind } from './target-group';
import { taskDefinitionKind } from './task-definition';
import type { ResourceKind } from './types';
import { vpcKind } from './vpc';

export const FARGATE_TIER_KINDS: readonly ResourceKind[] = [
  vpcKind,
  subnetKind('a'),
  subnetKind('b'),
  internetGatewayKind,
  routeTableKind,
  securityGroupKind('alb'),
  securityGroupKind('tasks'),
  loadBalancerKind,
  targetGroupKind,
  listenerKind('https'),
  listenerKind('http'),
  clusterKind,
  executionRoleKind,
  taskRoleKind,
  taskDefinitionKind,
  ecsServiceKind,
  scalableTargetKind,
  scalingPolicyKind,
  // Never wanted: the role of before names carried the region, deleted once the task definition moved.
  executionRoleReplacedKind,
];
