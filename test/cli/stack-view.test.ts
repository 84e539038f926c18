import { eventLines, problemsOf, resourceLines, waitingFor } from '../../cli/stack-view';
import type { StackRecord } from '../../reconciler/state/types';

const command = (rest: string) => `lambdaflex ${rest}`;

function record(conditions: NonNullable<StackRecord['status']>['conditions']): StackRecord {
  return {
    stack: 'billing-api',
    spec: {},
    generation: 1,
    version: 3,
    events: [],
    bookkeeping: { pendingChanges: {}, retries: {} },
    status: { observedGeneration: 1, phase: 'Lambda', conditions, resources: {} },
  };
}

describe('problemsOf', () => {
  it('shows what is in the way of a stack kept from a name it does not own', () => {
    const message =
      'api.example.test. is owned by stack orders-api (us-east-1): its ownership TXT lambdaflex-a.api.example.test. names it; it is left alone';
    const conflict = {
      type: 'Conflict',
      status: 'True' as const,
      reason: 'NotOwned',
      message,
      lastTransitionTime: 1,
    };
    expect(problemsOf(record([conflict]), command)).toEqual([
      `left alone, not this stack's (looked at again every pass): ${message}`,
    ]);
    expect(problemsOf(record([]), command)).toEqual([]);
  });
});

describe('problemsOf without dns', () => {
  it('tells clients of an unhealthy Fargate tier to call the API, and stops once it is healthy', () => {
    const sick = record([]);
    sick.status = {
      ...sick.status!,
      phase: 'ScalingUp',
      urls: { lambda: 'https://abc.execute-api.us-east-1.amazonaws.com', fargate: 'http://lf-alb.elb' },
      fargateUnhealthy: { since: 5, reason: '0 of 2 targets healthy' },
    };
    expect(problemsOf(sick, command)).toEqual([
      "the Fargate tier is unhealthy (0 of 2 targets healthy); no custom domain, so nothing moved back: clients calling the ALB's URL should call the API's URL (https://abc.execute-api.us-east-1.amazonaws.com) until its targets are healthy again",
    ]);
    expect(problemsOf(record([]), command)).toEqual([]);
  });
});

describe('waitingFor', () => {
  const ready = (status: 'True' | 'False', reason: string, message: string) => ({
    type: 'Ready',
    status,
    reason,
    message,
    lastTransitionTime: 1,
  });

  it('names the next pass checking what one just applied, in a settled phase with nothing else waiting', () => {
    const applied = record([ready('False', 'Progressing', '2 steps done; the next pass checks the result')]);
    expect(waitingFor(applied)).toEqual(['2 steps done; the next pass checks the result']);
    expect(waitingFor(record([ready('True', 'Settled', 'nothing to do')]))).toEqual([]);
  });

  it('says what a move between tiers still awaits, without the conditions it already meets', () => {
    const traffic = {
      type: 'TrafficOnFargate',
      status: 'False' as const,
      reason: 'OnLambda',
      message: 'ALB active, 1 target healthy (≥ 1); shifting Fargate from 0 % to 10 %',
      lastTransitionTime: 1,
    };
    const scalingUp = record([traffic, ready('False', 'Progressing', 'shifting')]);
    scalingUp.status!.phase = 'ScalingUp';
    scalingUp.status!.trafficAwaiting = 'Route 53 to have Fargate at 10 %';
    expect(waitingFor(scalingUp)).toEqual(['Route 53 to have Fargate at 10 %']);
    // A status written before it was published: the traffic engine's reason, as before.
    delete scalingUp.status!.trafficAwaiting;
    expect(waitingFor(scalingUp)).toEqual([traffic.message]);
  });
});

describe("the order of a stack's resources", () => {
  it("lists the resources in the kinds' order whatever order the pass met them in, as status and the dashboard show them", () => {
    const met = record([]);
    // The order a pass of parallel observations wrote them in.
    met.status!.resources = {
      vpc: { kind: 'AWS::EC2::VPC', id: 'vpc-1' },
      'lambda-function': { kind: 'AWS::Lambda::Function', id: 'lf-billing-api-function' },
      cluster: { kind: 'AWS::ECS::Cluster', id: 'cluster' },
      'subnet-b': { kind: 'AWS::EC2::Subnet', id: 'subnet-2' },
      'lambda-role': { kind: 'AWS::IAM::Role', id: 'role' },
      'subnet-a': { kind: 'AWS::EC2::Subnet', id: 'subnet-1' },
    };
    expect(resourceLines(met).map((line) => line.key)).toEqual([
      'lambda-role',
      'lambda-function',
      'vpc',
      'subnet-a',
      'subnet-b',
      'cluster',
    ]);
  });

  it('names the resources of one teardown wait in one order, so that the same wait in two passes collapses into one line', () => {
    const wait = (keys: string[]) => ({
      at: Date.UTC(2026, 0, 1, 3, 33),
      type: 'Warning' as const,
      reason: 'Retrying',
      message: keys
        .map(
          (key) => `deleting AWS::EC2::Thing (${key}): DependencyViolation: resource has a dependent object`,
        )
        .join('; '),
    });
    const lines = eventLines([
      wait(['sg-alb', 'igw', 'subnet-b', 'subnet-a']),
      { ...wait(['sg-alb', 'subnet-b', 'subnet-a', 'igw']), at: Date.UTC(2026, 0, 1, 3, 34) },
    ]);
    expect(lines).toEqual([
      {
        at: Date.UTC(2026, 0, 1, 3, 34),
        type: 'Progress',
        reason: 'Waiting',
        message:
          'AWS is still releasing network interfaces; subnet-a, subnet-b, igw, sg-alb wait (DependencyViolation, retried)',
        count: 2,
      },
    ]);
  });
});
