/**
 * The network kinds end to end against the simulated AWS (aws-sim/): what `create` makes, `find` reads back
 * equal to `desiredAttributes` (so a steady-state pass plans no update), and `delete` removes, twice without error.
 * The per-kind unit tests pin the exact inputs; this one checks the kinds agree with each other and with a
 * stateful model of EC2.
 */
import { CreateRouteTableCommand } from '@aws-sdk/client-ec2';
import { resolveAvailabilityZones } from '../../../../reconciler/resources/ec2/availability-zones';
import { internetGatewayResource } from '../../../../reconciler/resources/ec2/internet-gateway';
import { routeTableResource } from '../../../../reconciler/resources/ec2/route-table';
import { securityGroupResource } from '../../../../reconciler/resources/ec2/security-group';
import { subnetResource } from '../../../../reconciler/resources/ec2/subnet';
import type {
  ObservedResource,
  ResourceContext,
  ManagedResource,
} from '../../../../reconciler/resources/types';
import { vpcResource } from '../../../../reconciler/resources/ec2/vpc';
import { createSimulatedAws } from '../../../../aws-sim';
import { ec2TagSpecifications } from '../../../../reconciler/resources/ec2/tags';
import { NOW, testSpec } from '../fixtures';
import { DEFAULT_INTENT, withIntent } from '../../../../reconciler/resources/intent';

const NETWORK_RESOURCES: ManagedResource[] = [
  vpcResource,
  subnetResource('a'),
  subnetResource('b'),
  internetGatewayResource,
  routeTableResource,
  securityGroupResource('alb'),
  securityGroupResource('tasks'),
];

function simulated() {
  const { account, clients } = createSimulatedAws({ seed: 1 });
  const refs: Record<string, ObservedResource | undefined> = {};
  const state = { intent: DEFAULT_INTENT };
  const ctx = (): ResourceContext => ({
    clients,
    spec: testSpec(),
    refs,
    region: account.region,
    now: () => NOW,
    intent: state.intent,
  });
  return { account, clients, refs, ctx, state };
}

async function createAll(kinds: ManagedResource[], sim: ReturnType<typeof simulated>): Promise<void> {
  // The zones the pass would choose for the subnets, carried to them as the engine does.
  const observation = { resources: { ...sim.refs }, unknown: {} };
  const resolved = await resolveAvailabilityZones(observation, {
    ec2: sim.clients.ec2,
    region: sim.account.region,
    recorded: undefined,
    needed: true,
  });
  sim.state.intent = withIntent({ zones: resolved.zones });
  for (const kind of kinds) {
    expect(await kind.find(sim.ctx())).toBeUndefined();
    sim.refs[kind.key] = await kind.create(sim.ctx());
  }
}

describe('network kinds against the simulated AWS', () => {
  it('create, then find reads back desired and ready; delete twice leaves nothing', async () => {
    const sim = simulated();
    await createAll(NETWORK_RESOURCES, sim);
    sim.account.advance(120_000);
    for (const kind of NETWORK_RESOURCES) {
      const found = await kind.find(sim.ctx());
      expect({ key: kind.key, attributes: found?.attributes, ready: found?.ready }).toEqual({
        key: kind.key,
        attributes: kind.desiredAttributes(testSpec(), sim.refs, sim.state.intent),
        ready: true,
      });
      sim.refs[kind.key] = found;
    }
    for (const kind of [...NETWORK_RESOURCES].reverse()) {
      await kind.delete(sim.ctx(), sim.refs[kind.key]!);
      await kind.delete(sim.ctx(), sim.refs[kind.key]!);
      expect(await kind.find(sim.ctx())).toBeUndefined();
    }
  });

  it('a route table left bare by a crash after CreateRouteTable is finished by update', async () => {
    const sim = simulated();
    await createAll(NETWORK_RESOURCES.slice(0, 4), sim);
    const stack = testSpec().stack;
    await sim.clients.ec2.send(
      new CreateRouteTableCommand({
        VpcId: sim.refs.vpc!.id,
        TagSpecifications: ec2TagSpecifications(
          'route-table',
          stack,
          'route-table',
          `lf-${stack}-route-table`,
        ),
      }),
    );
    // Describe calls see a new EC2 resource only after the simulator's consistency delay, as in AWS.
    sim.account.advance(10_000);
    const bare = await routeTableResource.find(sim.ctx());
    expect(bare).toMatchObject({
      ready: false,
      attributes: { defaultRouteGatewayId: undefined, subnetIds: [] },
    });
    await routeTableResource.update!(sim.ctx(), bare!, []);
    const finished = await routeTableResource.find(sim.ctx());
    expect(finished?.attributes).toEqual(
      routeTableResource.desiredAttributes(testSpec(), sim.refs, sim.state.intent),
    );
    expect(finished?.ready).toBe(true);
  });
});
