/**
 * The ECS refresh runs the scheduler only on the services whose next timed change has come
 * (aws-sim/services/ecs/next-change.ts), and ELBv2's looks only at the load balancers still provisioning and
 * the target groups with a draining target (elbv2/lifecycle.ts, targets.ts). They must leave the account exactly as running it on every service
 * at every step did: the same scenario is played on two accounts, one of which forgets what it noted
 * before every step (a restored account notes nothing, so its refresh looks at every service), and their
 * states must be equal after every step.
 */
import { CreateServiceCommand, DeleteServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { SimulatedAws } from '../../../aws-sim';
import type { EcsState } from '../../../aws-sim/services/ecs';
import type { Elbv2State } from '../../../aws-sim/services/elbv2/state';
import { createLoadBalancer } from './elbv2-fixture';
import { deploymentAccount, registerWebTask, webServiceInput } from './service-fixture';

const GOOD = 'public.ecr.aws/nginx/nginx:1';
const BROKEN = 'public.ecr.aws/nginx/nginx:broken';

/** One account and what the scenario does to it; `forget` makes its refresh look at every service. */
async function world(forget: boolean) {
  const { sim, network, lb } = await deploymentAccount(BROKEN);
  const good = await registerWebTask(sim, GOOD);
  const broken = await registerWebTask(sim, BROKEN);
  const create = (name: string, desiredCount: number, breaker: boolean) =>
    sim.clients.ecs.send(
      new CreateServiceCommand(
        webServiceInput(network, lb, {
          serviceName: name,
          taskDefinition: good,
          desiredCount,
          ...(breaker
            ? { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }
            : {}),
        }),
      ),
    );
  const update = (service: string, input: { desiredCount?: number; taskDefinition?: string }) =>
    sim.clients.ecs.send(new UpdateServiceCommand({ cluster: 'web', service, ...input }));
  const step = (ms: number) => {
    if (forget) sim.account.restore(sim.account.toJSON());
    sim.account.advance(ms);
  };
  const anotherAlb = () => createLoadBalancer(sim, network, 'alb-later');
  return { sim, good, broken, create, update, step, anotherAlb };
}

/** ECS and ELBv2 as they are, and the ENIs (the SDK's random client tokens differ between accounts). */
function modelled(sim: SimulatedAws) {
  const { ecs, elbv2, ec2 } = sim.account.toJSON().services as Record<string, Record<string, unknown>>;
  return { ecs, elbv2, networkInterfaces: ec2!.networkInterfaces, lingering: ec2!.lingering };
}

describe('simulated ECS and ELBv2: a refresh that skips what has nothing due', () => {
  it('leaves the account as a refresh of every service at every step does', async () => {
    const lazy = await world(false);
    const full = await world(true);
    const both = async (act: (w: Awaited<ReturnType<typeof world>>) => Promise<unknown>) => {
      await act(lazy);
      await act(full);
    };
    let steps = 0;
    const advance = (ms: number, times: number) => {
      for (let i = 0; i < times; i++) {
        lazy.step(ms);
        full.step(ms);
        steps += 1;
        expect(modelled(lazy.sim)).toEqual(modelled(full.sim));
      }
    };

    await both((w) => w.create('steady', 2, false));
    await both((w) => w.create('breaker', 2, true));
    advance(7_000, 60); // tasks start, register, turn healthy; both deployments complete
    await both((w) => w.anotherAlb()); // made after the refresh first looked at the load balancers
    await both((w) => w.update('steady', { desiredCount: 3 }));
    advance(7_000, 20);
    await both((w) => w.update('steady', { desiredCount: 1 })); // scale in: tasks drain, stop, ENIs go
    advance(11_000, 40);
    await both((w) => w.update('breaker', { taskDefinition: w.broken })); // fails, rolls back
    advance(7_000, 60);
    await both((w) => w.update('steady', { desiredCount: 0 }));
    await both((w) =>
      w.sim.clients.ecs.send(new DeleteServiceCommand({ cluster: 'web', service: 'steady' })),
    );
    advance(5 * 60_000, 16); // past the retention of the stopped tasks and of the INACTIVE service

    const ecs = lazy.sim.account.stateOf<EcsState>('ecs');
    // The scenario went where it says (else the comparison proves little).
    expect(Object.values(ecs.services).map((s) => s.name)).toEqual(['breaker']);
    expect(ecs.services[Object.keys(ecs.services)[0]!]!.deployments[0]!.rolloutStateReason).toMatch(
      /rolling back/,
    );
    expect(steps).toBe(196);
    const elbv2 = lazy.sim.account.stateOf<Elbv2State>('elbv2');
    // Both load balancers (the first and the one made later) provisioned: every one of them active.
    expect(Object.values(elbv2.loadBalancers).map((lb) => lb.activeAt !== undefined)).toEqual([true, true]);
  });
});
