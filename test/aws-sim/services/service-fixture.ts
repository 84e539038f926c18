/**
 * An ECS service `web` of one task behind an ALB's target group, through the real ECS and ELBv2 commands:
 * what the Application Auto Scaling tests scale.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import type { SimulatedAws } from '../../../aws-sim';
import { createLoadBalancing, type LoadBalancing } from './elbv2-fixture';
import { createNetwork, simulatedAccount } from './network-fixture';

/** A revision of the Fargate task definition `web`: one container `app` of `image` on port 8080; its ARN. */
export async function registerWebTask(sim: SimulatedAws, image: string): Promise<string> {
  const out = await sim.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

export async function serviceBehindAlb(): Promise<{ sim: SimulatedAws; lb: LoadBalancing }> {
  const sim = simulatedAccount();
  const network = await createNetwork(sim);
  const lb = await createLoadBalancing(sim, network);
  await sim.clients.ecs.send(new CreateClusterCommand({ clusterName: 'web' }));
  await registerWebTask(sim, 'nginx');
  await sim.clients.ecs.send(
    new CreateServiceCommand({
      cluster: 'web',
      serviceName: 'web',
      taskDefinition: 'web',
      desiredCount: 1,
      networkConfiguration: {
        awsvpcConfiguration: { subnets: network.subnetIds, assignPublicIp: 'ENABLED' },
      },
      loadBalancers: [{ targetGroupArn: lb.targetGroupArn, containerName: 'app', containerPort: 8080 }],
    }),
  );
  return { sim, lb };
}

/** The ALBRequestCountPerTarget resource label of the fixture's load balancer and target group. */
export function resourceLabel(lb: LoadBalancing): string {
  return `${lb.loadBalancerArn.split(':loadbalancer/')[1]}/${lb.targetGroupArn.split(':')[5]}`;
}
