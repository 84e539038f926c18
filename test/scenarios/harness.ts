/**
 * The whole reconciler against the simulated AWS (aws-sim/), with the in-memory state store so that scenarios
 * with hundreds of passes stay fast (the DynamoDB store has its own tests against dynalite).
 */
import {
  planStack,
  reconcileStack,
  type PassResult,
  type ReconcilerOptions,
} from '../../reconciler/reconcile';
import { ALL_RESOURCES, type ManagedResource } from '../../reconciler/resources';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../cli/local';
import { DynamoStateStore, InMemoryStateStore } from '../../reconciler/state';
import type { TestDynamo } from '../support/dynalite';
import type { DesiredStateInput } from '../../spec/types';
import { createSimulatedAws, type FaultConfig, type InventoryItem, type SimAccount } from '../../aws-sim';
import { SimulatedCrashError } from '../../aws-sim/core/errors';
import type { PlanStep, StepOutcome } from '../../reconciler/engine/types';
import { createRandomState, nextRandom } from '../../aws-sim/core/random';
import { setRoute53Config, type PriorRequestModel, type Route53State } from '../../aws-sim/services/route53';
import { setTaggingIndexLag, type TaggingIndexLag } from '../../aws-sim/services/tagging';
import { findLoadBalancer, healthyTargetCount, isLoadBalancerActive } from '../../aws-sim/services/elbv2/api';

export const STACK = 'orders-api';

/** The scenarios' Fargate tier: 0.25 vCPU / 512 MB tasks for 100 requests each, between the bounds given. */
export function fargateTier(minTasks: number, maxTasks: number): NonNullable<DesiredStateInput['fargate']> {
  return { cpu: 256, memoryMb: 512, minTasks, maxTasks, targetRequestsPerTask: 100 };
}

export function specInput(overrides: Partial<DesiredStateInput> = {}): DesiredStateInput {
  return {
    stack: STACK,
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2',
    mode: 'fargate',
    fargate: fargateTier(1, 4),
    ...overrides,
  };
}

export interface ScenarioOptions {
  seed?: number;
  faults?: FaultConfig;
  holder?: string;
  kinds?: readonly ManagedResource[];
  /** The simulated account's region (us-east-1 by default). */
  region?: string;
  /** Another region of this account: IAM is shared with it, as IAM is global. */
  sameAccountAs?: SimAccount;
  /**
   * Simulated time between a crash and the next pass, twice (the dead pass's end, then the schedule).
   * Default 5 s; 0 runs the next pass at the same instant, before EC2's eventual consistency shows
   * anything the dead pass created (as the CLI run again at once does).
   */
  afterCrashMs?: number;
  /** How long a new EC2 resource stays invisible to Describe* (the simulator's default: 2 s). */
  consistencyDelayMs?: number;
  /**
   * When Route 53 refuses a zone's next change (aws-sim/services/route53/state.ts): as documented, while
   * it processes the prior one (the default), or, as an adversary, until the prior one is INSYNC.
   */
  route53?: PriorRequestModel;
  /**
   * The Tagging API's index lag (aws-sim/services/tagging-index.ts), on by default as in AWS and in the
   * account users run (`--local`, the sandbox): a deleted resource listed 20 minutes, a new one from a
   * minute on. Lags in milliseconds to change them; `false` for the account as it is at every listing,
   * which only the tests of a path that needs the index current ask for (a hand deletion named by the
   * next pass, a snapshot kept by the pass that settles).
   */
  taggingLag?: boolean | Partial<TaggingIndexLag>;
}

export function scenario(options: ScenarioOptions = {}) {
  const { account, clients } = createSimulatedAws({
    seed: options.seed ?? 7,
    faults: options.faults,
    ...(options.region ? { region: options.region } : {}),
    ...(options.sameAccountAs ? { sameAccountAs: options.sameAccountAs } : {}),
    ...(options.consistencyDelayMs === undefined ? {} : { consistencyDelayMs: options.consistencyDelayMs }),
  });
  if (options.route53) setRoute53Config(account, { priorRequestNotComplete: options.route53 });
  const lag = options.taggingLag ?? true;
  if (lag !== false) setTaggingIndexLag(account, lag === true ? {} : lag);
  const afterCrashMs = options.afterCrashMs ?? 5_000;
  const store = new InMemoryStateStore(() => account.now());
  const jitter = createRandomState(options.seed ?? 7);
  const reconciler: ReconcilerOptions = {
    store,
    clients,
    region: account.region,
    kinds: options.kinds ?? ALL_RESOURCES,
    holder: options.holder ?? 'scenario',
    now: () => account.now(),
    // The lease's clock, apart from `now` so that a test can step the wall clock without it.
    monotonic: () => account.now(),
    random: () => nextRandom(jitter),
  };

  /** One pass; a simulated crash ends it as a dying Lambda would, and the "process" starts again. */
  const pass = async (holder?: string): Promise<PassResult | 'crashed'> => {
    try {
      return await reconcileStack(holder ? { ...reconciler, holder } : reconciler, STACK);
    } catch (error) {
      if (!(error instanceof SimulatedCrashError)) throw error;
      account.restart();
      // The dead pass never released its lease; the next pass comes back as the same holder (a fresh
      // holder would wait out the lease, which the lease tests cover).
      account.advance(afterCrashMs);
      return 'crashed';
    }
  };

  /**
   * Settled means a fresh observation plans nothing: `lambdaflex plan` right after must agree. Faults are
   * held off for this look, which is the test's, not the reconciler's.
   */
  const expectPlansNothing = async (): Promise<void> => {
    const { plan } = await account.withoutFaults(() => planStack(reconciler, STACK));
    if (plan.steps.length > 0)
      throw new Error(`settled, but plan still plans ${JSON.stringify(plan.steps.map((s) => s.id))}`);
  };

  /**
   * Passes until one settles, advancing the simulated clock by what each pass asks for; a settled end is
   * then checked with a dry run (`expectPlansNothing`).
   */
  const settle = async (maxPasses = 200): Promise<PassResult[]> => {
    const passes: PassResult[] = [];
    for (let i = 0; i < maxPasses; i++) {
      const result = await pass();
      if (result !== 'crashed') {
        passes.push(result);
        if (result.settled && result.outcome === 'reconciled') await expectPlansNothing();
        if (result.settled || result.outcome !== 'reconciled') return passes;
      }
      // At least the EC2 eventual-consistency delay between passes, as the every-minute schedule gives.
      account.advance(result === 'crashed' ? afterCrashMs : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    throw new Error(
      `not settled after ${maxPasses} passes: ${JSON.stringify(passes.at(-1)?.plan?.steps.map((s) => s.id))}`,
    );
  };

  const owned = (): InventoryItem[] =>
    account.inventory().filter((item) => item.tags['lambdaflex:stack'] === STACK);

  return {
    account,
    clients,
    store,
    reconciler,
    pass,
    settle,
    expectPlansNothing,
    owned,
    apply: (doc: DesiredStateInput) => store.putSpec(doc),
  };
}

/** How many resources there are of each CloudFormation type, to compare end states and find duplicates. */
export function byType(items: InventoryItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.type] = (counts[item.type] ?? 0) + 1;
  return counts;
}

/** The simulated account's public zone `example.test`, for specs with `dns`. */
export async function exampleZoneId(s: Scenario): Promise<string> {
  const { ListHostedZonesByNameCommand } = await import('@aws-sdk/client-route-53');
  const answer = await s.clients.route53.send(new ListHostedZonesByNameCommand({ DNSName: 'example.test' }));
  const id = answer.HostedZones?.[0]?.Id;
  if (!id) throw new Error('the simulated account has no example.test zone');
  return id.replace('/hostedzone/', '');
}

/** A certificate for the example zone's names: the simulator has no ACM and takes any well-formed ARN. */
export const CERTIFICATE_ARN =
  'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000';

/** The record name the scenarios give the stack, in the example zone. */
export const EXAMPLE_RECORD = 'api.example.test';

/**
 * Safety rule 2's wait for a record of TTL 60 s or less (docs/design.md): 2 × 60 s, as resolvers hold the
 * ALB alias's answer for its fixed 60 s whatever the spec's TTL (Route 53 FAQ), + the target group's
 * deregistration delay, 30 s (resources/elbv2/target-group.ts sets it). Stated here as numbers, not read
 * from the traffic engine, so that a wrong rule there fails the scenarios.
 */
export const DRAIN_WAIT_MS = 2 * 60_000 + 30_000;

/** `dns` for `recordName` in the example zone, with the certificate validation requires. */
export function exampleDns(hostedZoneId: string, recordName = EXAMPLE_RECORD, ttlSeconds = 60) {
  return { hostedZoneId, recordName, ttlSeconds, certificateArn: CERTIFICATE_ARN };
}

export type Scenario = ReturnType<typeof scenario>;

/** Both of the simulated Route 53's models of PriorRequestNotComplete, for scenarios run under each. */
export const ROUTE53_MODELS: readonly PriorRequestModel[] = ['while-processing', 'until-insync'];

/** How many changes of the zone Route 53 still has PENDING (not yet on all its name servers). */
export function pendingChangesOf(s: Scenario, zoneId: string): number {
  const { changes } = s.account.stateOf<Route53State>('route53');
  return Object.values(changes).filter((c) => c.zoneId === zoneId && s.account.now() < c.insyncAt).length;
}

/** The weights Route 53 holds for the stack's record, by SetIdentifier. */
export async function recordWeights(
  s: Scenario,
  zoneId: string,
  name: string,
): Promise<Record<string, number>> {
  const weights: Record<string, number> = {};
  for (const set of await recordSetsAt(s, zoneId, name)) {
    if (set.SetIdentifier) weights[set.SetIdentifier] = set.Weight ?? 0;
  }
  return weights;
}

/**
 * Passes until the shift to Fargate has written its first step (a Fargate weight between 0 and 100), so
 * that the change which wrote it is still PENDING when this returns.
 */
export async function passUntilShiftStarts(s: Scenario, zoneId: string, name: string): Promise<void> {
  for (let i = 0; ; i++) {
    if (i >= 120) throw new Error('the shift to Fargate wrote no first step in 120 passes');
    const result = await s.pass();
    const fargate = (await recordWeights(s, zoneId, name)).fargate ?? 0;
    if (fargate > 0 && fargate < 100) return;
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
}

/** Passes with the clock moved as each asks, for `ms` of simulated time at least; every result kept. */
export async function passFor(s: Scenario, ms: number): Promise<PassResult[]> {
  const results: PassResult[] = [];
  const until = s.account.now() + ms;
  while (s.account.now() < until) {
    const result = await s.pass();
    if (result !== 'crashed') results.push(result);
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  return results;
}

/** The stack applied on Fargate and settled there: the id of the VPC its record owns. */
export async function settledOnFargate(s: Scenario): Promise<string> {
  await s.apply(specInput({ mode: 'fargate' }));
  expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
  const vpc = (await s.store.get(STACK))!.bookkeeping.owned?.vpc?.id;
  expect(vpc).toBeDefined();
  return vpc!;
}

/** The ids of the account's resources of a CloudFormation type tagged as the stack's (as AWS holds them). */
export function stackIdsOfType(s: Scenario, type: string): string[] {
  return s.account
    .inventory()
    .filter((item) => item.type === type && item.tags['lambdaflex:stack'] === STACK)
    .map((item) => item.id);
}

/** The types of the stack's resources in its VPC, and the VPC's. */
const IN_THE_VPC_TYPES = [
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::SecurityGroup',
];

/** The stack's resources in the VPC (and the VPC) the account still holds, as AWS holds them: "<type> <id>". */
export function leftInTheVpc(s: Scenario): string[] {
  return IN_THE_VPC_TYPES.flatMap((type) => stackIdsOfType(s, type).map((id) => `${type} ${id}`));
}

/** Passes 15 s apart, whatever each asks, for `ms` of simulated time: the results of those that did not crash. */
export async function passesEvery15s(s: Scenario, ms: number): Promise<PassResult[]> {
  const results: PassResult[] = [];
  const end = s.account.now() + ms;
  while (s.account.now() < end) {
    const result = await s.pass();
    if (result !== 'crashed') results.push(result);
    s.account.advance(15_000);
  }
  return results;
}

/** Passes with the clock moved as each asks, `count` of them or until one settles. */
export async function passes(s: Scenario, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const result = await s.pass();
    if (result !== 'crashed' && result.settled) return;
    s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
}

/**
 * Safety rule 1 against the simulated account itself, not the reconciler's view of it: what breaks it
 * now, or undefined. A Fargate weight on the record `name` only while it points at `stack`'s one ALB,
 * active, and its one target group has `minTasks` healthy targets. Read with faults held off: the look
 * is the test's.
 */
export async function fargateWeightOffHealthyAlb(
  s: Scenario,
  zoneId: string,
  name: string,
  { stack = STACK, minTasks = 1 }: { stack?: string; minTasks?: number } = {},
): Promise<string | undefined> {
  const sets = await s.account.withoutFaults(() => recordSetsAt(s, zoneId, name));
  const fargate = sets.find((set) => set.SetIdentifier === 'fargate');
  const weight = fargate?.Weight ?? 0;
  if (weight === 0) return undefined;
  const ofStack = s.account.inventory().filter((item) => item.tags['lambdaflex:stack'] === stack);
  const albs = ofStack.filter((item) => item.type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  const groups = ofStack.filter((item) => item.type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
  const target = hostName(fargate?.AliasTarget?.DNSName);
  if (albs.length !== 1) return `weight ${weight} on ${target} with ${albs.length} ALBs of the stack`;
  const alb = albs[0]!;
  if (hostName(findLoadBalancer(s.account, alb.id)?.dnsName) !== target)
    return `weight ${weight} on ${target}, not the stack's ALB`;
  if (!isLoadBalancerActive(s.account, alb.id)) return `weight ${weight} on the stack's ALB, not active`;
  if (groups.length !== 1) return `weight ${weight} with ${groups.length} target groups of the stack`;
  const healthy = healthyTargetCount(s.account, groups[0]!.id);
  if (healthy < minTasks) return `weight ${weight} with ${healthy} of ${minTasks} targets healthy`;
  return undefined;
}

/** `fargateWeightOffHealthyAlb` as an assertion: nothing breaks safety rule 1 now. */
export async function expectNoFargateWeightOffHealthyAlb(
  s: Scenario,
  zoneId: string,
  name: string,
  options: { stack?: string; minTasks?: number } = {},
): Promise<void> {
  expect(await fargateWeightOffHealthyAlb(s, zoneId, name, options)).toBeUndefined();
}

/** An alias target's DNS name as compared: lower case, without the root dot. */
function hostName(name: string | undefined): string | undefined {
  return name?.replace(/\.$/, '').toLowerCase();
}

/** The record sets Route 53 holds at `name` (without the root dot). */
async function recordSetsAt(s: Scenario, zoneId: string, name: string) {
  const { ListResourceRecordSetsCommand } = await import('@aws-sdk/client-route-53');
  const answer = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return (answer.ResourceRecordSets ?? []).filter((set) => set.Name?.replace(/\.$/, '') === name);
}

/** A step of the last pass's plan, with its outcome once the pass ran it. */
export type LastStep = Pick<PlanStep, 'id' | 'reason'> & { outcome?: StepOutcome };

/** The steps of the last pass's plan with their outcomes, as the stack's status keeps them. */
export async function lastSteps(s: Scenario): Promise<LastStep[]> {
  const status = (await s.store.get(STACK))?.status;
  return (status?.lastPlan as { steps?: LastStep[] } | undefined)?.steps ?? [];
}

let dynamoTables = 0;

/**
 * A stack settled on the Lambda tier, its record in DynamoDB (`db`, dynalite: a table of its own named
 * after `prefix`, the store's clock the account's); `settle` passes until it settles again, and `edit`
 * is an UpdateItem of its record as someone would write it by hand in the console.
 */
export async function lambdaStackOnDynamo(db: TestDynamo, prefix: string) {
  const s = scenario();
  const store = new DynamoStateStore({
    client: db.client,
    tableName: `${prefix}-${++dynamoTables}`,
    now: () => s.account.now(),
  });
  await store.ensureTable();
  const options = { ...s.reconciler, store };
  const settle = async () => {
    for (let i = 0; i < 60; i++) {
      const result = await reconcileStack(options, STACK);
      if (result.settled) return;
      s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    throw new Error('not settled in 60 passes');
  };
  await store.putSpec(specInput({ mode: 'lambda' }));
  await settle();
  // A client of its own: a document client set up on the store's would replace the store's marshalling
  // options (lib-dynamodb keeps them on the client's shared config).
  const raw = new DynamoDBClient(localClientConfig(db.endpoint));
  const doc = DynamoDBDocumentClient.from(raw);
  const edit = (
    expression: string,
    values: Record<string, unknown> = {},
    names: Record<string, string> = {},
  ) =>
    doc.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { stack: STACK },
        UpdateExpression: expression,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      }),
    );
  return { s, store, options, settle, edit, raw };
}
