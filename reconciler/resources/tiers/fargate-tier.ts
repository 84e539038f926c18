/**
 * Every resource kind of the Fargate tier, in creation order (each after what it depends on). The
 * planner deletes them in the reverse order, which is docs/aws-facts.md's deletion order.
 */
import { clusterResource } from '../ecs/cluster';
import { ecsServiceResource } from '../ecs/service';
import { executionRoleResource, executionRoleReplacedResource } from '../iam/execution-role';
import { taskRoleResource } from '../iam/task-role';
import { internetGatewayResource } from '../ec2/internet-gateway';
import { listenerResource } from '../elbv2/listener';
import { loadBalancerResource } from '../elbv2/load-balancer';
import { routeTableResource } from '../ec2/route-table';
import { scalableTargetResource, scalingPolicyResource } from '../autoscaling/scaling';
import { securityGroupResource } from '../ec2/security-group';
import { subnetResource } from '../ec2/subnet';
import { targetGroupResource } from '../elbv2/target-group';
import { taskDefinitionResource } from '../ecs/task-definition';
import type { StackResource } from '../types';
import { vpcResource } from '../ec2/vpc';

export const FARGATE_TIER_RESOURCES: readonly StackResource[] = [
  vpcResource,
  subnetResource('a'),
  subnetResource('b'),
  internetGatewayResource,
  routeTableResource,
  securityGroupResource('alb'),
  securityGroupResource('tasks'),
  loadBalancerResource,
  targetGroupResource,
  listenerResource('https'),
  listenerResource('http'),
  clusterResource,
  executionRoleResource,
  taskRoleResource,
  taskDefinitionResource,
  ecsServiceResource,
  scalableTargetResource,
  scalingPolicyResource,
  // Never wanted: the role of before names carried the region, deleted once the task definition moved.
  executionRoleReplacedResource,
];
