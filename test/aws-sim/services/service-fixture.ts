/**
 * An ECS service `web` of one task behind an ALB's target group, through the real ECS and ELBv2 commands:
 * what the Application Auto Scaling tests scale.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  type CreateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { SimulatedAws } from '../../../aws-sim';
import { setImageBroken } from '../../../aws-sim/services/ecs';
import { createLoadBalancing, type LoadBalancing } from './elbv2-fixture';
import { createNetwork, simulatedAccount, type Network } from './network-fixture';

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

/**
 * The CreateService input of a Fargate service behind the fixture's target group (container `app` on 8080),
 * its tasks in the network's subnets and tasks' security group with a public IP: the service `web` of the
 * task definition `web` in the cluster `web`, unless `input` says otherwise.
 */
export function webServiceInput(
  network: Network,
  lb: LoadBalancing,
  input: Partial<CreateServiceCommandInput> & { desiredCount: number },
): CreateServiceCommandInput {
  return {
    cluster: 'web',
    serviceName: 'web',
    taskDefinition: 'web',
    launchType: 'FARGATE',
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: network.subnetIds,
        securityGroups: [network.tasksGroupId],
        assignPublicIp: 'ENABLED',
      },
    },
    loadBalancers: [{ targetGroupArn: lb.targetGroupArn, containerName: 'app', containerPort: 8080 }],
    ...input,
  };
}

/**
 * What the deployment tests watch: a network with internet access, an ALB whose target group checks
 * health every 5 s (healthy after 2 checks), the cluster `web`, and the image `broken` whose tasks fail.
 */
export async function deploymentAccount(
  broken: string,
): Promise<{ sim: SimulatedAws; network: Network; lb: LoadBalancing }> {
  const sim = simulatedAccount();
  const network = await createNetwork(sim, { internet: true });
  const lb = await createLoadBalancing(sim, network, {
    HealthCheckIntervalSeconds: 5,
    HealthCheckTimeoutSeconds: 2,
    HealthyThresholdCount: 2,
  });
  await sim.clients.ecs.send(new CreateClusterCommand({ clusterName: 'web' }));
  setImageBroken(sim.account, broken);
  return { sim, network, lb };
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
