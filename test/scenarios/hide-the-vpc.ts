import { READ, type HookClient } from './call-hooks';
import type { Scenario } from './harness';

/** EC2's listings of what is in a VPC, by the field each answers with. */
const IN_THE_VPC = {
  Subnets: 'DescribeSubnets',
  SecurityGroups: 'DescribeSecurityGroups',
  RouteTables: 'DescribeRouteTables',
  InternetGateways: 'DescribeInternetGateways',
} as const;

/**
 * A listing that loses the stack's VPC (a replica behind, a page lost): while `hide` has set an id, the
 * stack's DescribeVpcs answers leave that VPC out (the rest of the answer stands), `missed` counting the
 * VPCs left out; while `hideAllInIt(true)`, the listings of what is in a VPC answer nothing either. Every
 * change the stack's EC2 client makes is kept with its input.
 */
export function hideTheVpc(s: Scenario) {
  let hidden: string | undefined;
  let allInIt = false;
  let missed = 0;
  const changes: { operation: string; input: Record<string, unknown> }[] = [];
  (s.clients.ec2 as unknown as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (!READ.test(operation)) changes.push({ operation, input: args.input });
      const answer = (await next(args)) as {
        output: { Vpcs?: { VpcId?: string }[] } & Record<string, unknown>;
      };
      const vpcs = answer.output.Vpcs;
      if (hidden && operation === 'DescribeVpcs' && vpcs) {
        const shown = vpcs.filter((vpc) => vpc.VpcId !== hidden);
        missed += vpcs.length - shown.length;
        answer.output = { ...answer.output, Vpcs: shown };
      }
      for (const [field, list] of Object.entries(IN_THE_VPC)) {
        if (allInIt && operation === list) answer.output = { ...answer.output, [field]: [] };
      }
      return answer;
    },
    { step: 'initialize', name: 'hideTheVpc', priority: 'high' },
  );
  return {
    hide: (id: string | undefined) => (hidden = id),
    hideAllInIt: (on: boolean) => (allInIt = on),
    missed: () => missed,
    changes,
  };
}
