/**
 * Every resource kind of the Fargate tier, in creation order (each after what it depends on). The
 * planner deletes them in the reverse order, which is docs/aws-facts.md's deletion order.
 */
import { clusterKind } from '../ecs/cluster';
import { ecsServiceKind } from '../ecs/ecs-service';
import { executionRoleKind, executionRoleReplacedKind } from '../iam/execution-role';
import { taskRoleKind } from '../iam/task-role';
import { internetGatewayKind } from '../ec2/internet-gateway';
import { listenerKind } from '../elbv2/listener';
import { loadBalancerKind } from '../elbv2/load-balancer';
import { routeTableKind } from '../ec2/route-table';
import { scalableTargetKind, scalingPolicyKind } from '../autoscaling/scaling';
import { securityGroupKind } from '../ec2/security-group';
import { subnetKind } from '../ec2/subnet';
import { targetGroupKind } from '../elbv2/target-group';
import { taskDefinitionKind } from '../ecs/task-definition';
import type { StackKind } from '../types';
import { vpcKind } from '../ec2/vpc';

export const FARGATE_TIER_KINDS: readonly StackKind[] = [
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
