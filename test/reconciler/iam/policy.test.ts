/**
 * The reconciler's generated IAM policy, evaluated with an IAM policy simulator (simulate.ts):
 *
 * (a) granted = needed: the registry holds exactly the operations the handler's code can send, and every
 *     call the reconciler made in a scenario against the simulated AWS (bootstrap, scale-up to Fargate,
 *     back to Lambda, delete, the handler's requeue schedule) is allowed by the policies bootstrap
 *     installed, evaluated as IAM would: the resource's ARN and tags before the call, the request's tags,
 *     the service's condition keys (authorization.ts);
 * (b) the document itself: no placeholder, no statement merged across resource types, every part under
 *     IAM's size limit, no mutating grant on `*` without a reason.
 *
 * The attacks the policy must refuse are in attacks.test.ts.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { countCalls, isMutatingOperation } from '../../../reconciler/aws/call-counter';
import { systemRoleNames } from '../../../reconciler/bootstrap/names';
import { runBootstrap } from '../../../reconciler/bootstrap/run';
import { createHandler } from '../../../reconciler/handler';
import {
  MANAGED_POLICY_LIMIT,
  POLICY_PARTS,
  policySize,
  reconcilerPolicies,
  reconcilerPolicy,
  type Statement,
} from '../../../reconciler/iam/policy';
import {
  IMPLIED_GRANTS,
  RECONCILER_ACTIONS,
  grantedActions,
  iamActionOf,
} from '../../../reconciler/iam/registry';
import { OPERATION_SCOPES, type PolicyContext } from '../../../reconciler/iam/scopes';
import { reconcileStack, type ReconcilerOptions } from '../../../reconciler/reconcile';
import { ALL_RESOURCES } from '../../../reconciler/resources';
import { DynamoStateStore } from '../../../reconciler/state';
import { createSimulatedAws } from '../../../aws-sim';
import { CallRecorder } from '../../../aws-sim/core/call-recorder';
import { addHostedZone } from '../../../aws-sim/services/route53';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { stubPointInTimeRecovery } from '../bootstrap/pitr-stub';
import { requestsOf, tableRequests } from './authorization';
import { operationsInCode } from './code-scan';
import { evaluate, type PolicySet } from './simulate';

const registry = new Set(RECONCILER_ACTIONS.map((a) => a.call));

/** Records `dynamodb:Operation` for every call the state store makes. */
function recordTableCalls(client: DynamoDBClient, seen: Set<string>): void {
  const names: Record<string, string> = {
    Get: 'GetItem',
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? '').replace(/Command$/, '');
      seen.add(`dynamodb:${names[name] ?? name}`);
      return next(args);
    },
    { step: 'initialize', name: 'recordTableCalls' },
  );
}

/** The reconciler role's policies as bootstrap installed them in the simulated IAM. */
async function installedPolicies(iam: ReturnType<typeof createSimulatedAws>['clients']['iam'], role: string) {
  const attached =
    (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))).AttachedPolicies ?? [];
  const identity = [];
  for (const { PolicyArn, PolicyName } of attached) {
    if (!PolicyName?.startsWith('lambdaflex-')) continue;
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn }));
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn, VersionId: Policy!.DefaultVersionId }),
    );
    identity.push({ name: PolicyName, policy: JSON.parse(decodeURIComponent(PolicyVersion!.Document!)) });
  }
  return identity;
}

describe('reconciler IAM policy', () => {
  describe('(a) granted = needed', () => {
    it('grants exactly the operations the handler and everything it imports can send', async () => {
      const inCode = await operationsInCode();
      const missing = [...inCode.keys()].filter((op) => !registry.has(op));
      const unused = [...registry].filter((op) => !inCode.has(op));
      expect({ missing, unused }).toEqual({ missing: [], unused: [] });
    });

    let db: TestDynamo;
    beforeAll(async () => {
      db = await startTestDynamo();
      stubPointInTimeRecovery(db.client);
    });
    afterAll(() => db.stop());

    it('allows every call the reconciler makes from bootstrap to delete, as IAM evaluates it', async () => {
      // The account of the simulated AWS is the one dynalite writes in table ARNs.
      const probe = new DynamoStateStore({ client: db.client, tableName: 'iam-probe' });
      await probe.ensureTable();
      const probeArn = (await db.client.send(new DescribeTableCommand({ TableName: 'iam-probe' }))).Table!
        .TableArn!;
      const accountId = probeArn.split(':')[4]!;
      const { account, clients } = createSimulatedAws({ seed: 5, accountId });
      const zone = addHostedZone(account, 'example.com');

      const tableName = 'iam-run';
      await runBootstrap({
        clients,
        dynamodb: db.client,
        region: account.region,
        tableName,
        zip: new Uint8Array(Buffer.from('PK')),
        hostedZones: [{ id: zone, recordNames: ['*.example.com'] }],
        now: () => account.now(),
        wait: async (ms) => account.advance(Math.max(ms, 1_000)),
      });
      const roleName = systemRoleNames(account.region).reconcilerRole;
      const tableArn = (await db.client.send(new DescribeTableCommand({ TableName: tableName }))).Table!
        .TableArn!;
      const policies: PolicySet = {
        identity: await installedPolicies(clients.iam, roleName),
        account: accountId,
        principal: `arn:aws:sts::${accountId}:assumed-role/${roleName}/lambdaflex-reconciler`,
      };
      expect(policies.identity).toHaveLength(Object.keys(POLICY_PARTS).length);

      const tableCalls = new Set<string>();
      recordTableCalls(db.client, tableCalls);
      const store = new DynamoStateStore({ client: db.client, tableName });
      account.recorder = new CallRecorder();
      const options: ReconcilerOptions = {
        store,
        clients,
        region: account.region,
        kinds: ALL_RESOURCES,
        holder: 'iam-test',
        now: () => account.now(),
        monotonic: () => account.now(),
      };
      const settle = async (stack: string) => {
        for (let i = 0; i < 200; i++) {
          const r = await reconcileStack(options, stack);
          if (r.settled || r.outcome === 'deleted') return r;
          account.advance(Math.max(5_000, r.requeueAfterMs ?? 15_000));
        }
        throw new Error('not settled');
      };
      const spec = {
        stack: 'web',
        image: `${accountId}.dkr.ecr.us-east-1.amazonaws.com/web:1`,
        fargate: { cpu: 256, memoryMb: 512, minTasks: 1, maxTasks: 2, targetRequestsPerTask: 100 },
        dns: {
          hostedZoneId: zone,
          recordName: 'api.example.com',
          ttlSeconds: 60,
          certificateArn: `arn:aws:acm:us-east-1:${accountId}:certificate/abc`,
        },
      };
      await store.putSpec({ ...spec, mode: 'fargate' });
      expect(await settle('web')).toMatchObject({ phase: 'Fargate' });
      await store.putSpec({ ...spec, mode: 'lambda' }, {});
      expect(await settle('web')).toMatchObject({ phase: 'Lambda' });
      await store.requestDelete('web');
      expect(await settle('web')).toMatchObject({ outcome: 'deleted' });

      // The handler's own calls: the requeue schedule while a stack is mid-transition.
      await store.putSpec({ ...spec, stack: 'web2', mode: 'fargate' });
      const handler = createHandler({
        store,
        clients,
        region: account.region,
        kinds: ALL_RESOURCES,
        now: () => account.now(),
        monotonic: () => account.now(),
        logger: new Logger({ logLevel: 'SILENT' }),
        metrics: new Metrics({ namespace: 'LambdaFlex' }),
        schedulerRoleArn: `arn:aws:iam::${accountId}:role/${systemRoleNames(account.region).schedulerRole}`,
      });
      const context = {
        invokedFunctionArn: `arn:aws:lambda:us-east-1:${accountId}:function:lambdaflex-reconciler`,
        getRemainingTimeInMillis: () => 120_000,
      } as unknown as Context;
      const silenced = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        await countCalls(() => handler({}, context));
      } finally {
        silenced.mockRestore();
      }

      const calls = account.recorder.calls;
      const called = new Set(calls.map((c) => `${c.service}:${c.operation}`));
      expect([...called].filter((op) => !registry.has(op)).sort()).toEqual([]);
      // The run really went up and down, with boundaries: deletes of both tiers, bounded roles.
      expect([...called]).toEqual(
        expect.arrayContaining([
          'elbv2:DeleteLoadBalancer',
          'ec2:DeleteVpc',
          'lambda:DeleteFunction',
          'iam:DeleteRole',
          'scheduler:CreateSchedule',
          'route53:ChangeResourceRecordSets',
        ]),
      );
      expect(calls.find((c) => c.operation === 'CreateRole')?.input).toHaveProperty('PermissionsBoundary');

      const requests = [
        ...(await requestsOf(calls)),
        ...tableRequests(tableCalls, tableArn).map((request) => ({ request })),
      ];
      const denied: string[] = [];
      const engines = new Set<string>();
      // The same request made many times (every pass's look-ups) is evaluated once.
      const distinct = new Map(requests.map(({ request }) => [JSON.stringify(request), request]));
      for (const request of distinct.values()) {
        const verdict = await evaluate(policies, request);
        engines.add(verdict.engine);
        if (verdict.result !== 'Allowed') {
          denied.push(`${request.action} ${request.resource} ${JSON.stringify(request.context ?? {})}`);
        }
      }
      expect([...new Set(denied)]).toEqual([]);
      expect(requests.length).toBeGreaterThan(100);
      // Every implied grant is implied by something in the registry.
      for (const grant of IMPLIED_GRANTS) expect(grant.impliedBy.some((op) => registry.has(op))).toBe(true);
    }, 120_000);
  });

  describe('(b) the document', () => {
    const context: PolicyContext = {
      partition: 'aws',
      region: 'eu-west-1',
      account: '123456789012',
      tableName: 'lambdaflex',
      hostedZones: [{ id: 'Z0123456789ABCDEFGHIJ', recordNames: ['*.example.com'] }],
    };
    const policy = reconcilerPolicy(context);
    const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
    const readOnly = (action: string) => {
      const [prefix, name] = action.split(':') as [string, string];
      return prefix === 'apigateway' ? name === 'GET' : !isMutatingOperation(name);
    };

    it('holds no placeholder: not one `{` in the printed policy', () => {
      for (const part of reconcilerPolicies(context)) {
        const printed = JSON.stringify(part.document, null, 2);
        // The document's own braces are JSON's; inside strings there must be none.
        const strings = printed.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
        expect(strings.filter((s) => s.includes('{') || s.includes('}'))).toEqual([]);
      }
    });

    it('grants in each statement actions of one service on one set of resources under one condition', () => {
      for (const s of policy.Statement) {
        expect(new Set(s.Action.map((a) => a.split(':')[0])).size).toBe(1);
        // Resources of a statement are of one type: API Gateway's /apis and /domainnames never together.
        const kinds = new Set(
          resources(s).map(
            (r) =>
              r
                .replace(/\/\*$|\/[^/]*$/, '')
                .split(':')
                .slice(0, 3)
                .join(':') + (r.match(/::\/(apis|domainnames)/)?.[1] ?? ''),
          ),
        );
        expect({
          sid: s.Sid,
          kinds:
            kinds.size > 1 &&
            resources(s).some((r) => r.includes('/domainnames')) &&
            resources(s).some((r) => r.includes('/apis')),
        }).toEqual({ sid: s.Sid, kinds: false });
      }
    });

    it('grants no mutating action on * without a condition, unless AWS offers nothing narrower', () => {
      const whyOf = (action: string) =>
        RECONCILER_ACTIONS.filter((a) => a.action === action).flatMap((a) =>
          OPERATION_SCOPES[a.call]!(context),
        );
      const offenders = policy.Statement.filter((s) => resources(s).includes('*') && !s.Condition)
        .flatMap((s) => s.Action)
        .filter((action) => !readOnly(action))
        .filter((action) => !whyOf(action).every((scope) => scope.why));
      expect(offenders).toEqual([]);
    });

    it('keeps IAM to the stack roles of its region, DynamoDB to its table (and its stream), Route 53 to its zones', () => {
      const streamReads = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
      for (const s of policy.Statement) {
        for (const action of s.Action) {
          // ListStreams has no resource type: the stream event source mapping needs it on *.
          if (action === 'dynamodb:ListStreams') expect(resources(s)).toEqual(['*']);
          else if (streamReads.includes(action)) {
            expect(resources(s)).toEqual([
              'arn:aws:dynamodb:eu-west-1:123456789012:table/lambdaflex/stream/*',
            ]);
          } else if (action.startsWith('dynamodb:')) {
            expect(resources(s)).toEqual(['arn:aws:dynamodb:eu-west-1:123456789012:table/lambdaflex']);
          }
          if (action.startsWith('sqs:')) {
            expect(resources(s)).toEqual(['arn:aws:sqs:eu-west-1:123456789012:lambdaflex-work.fifo']);
          }
          if (action === 'route53:ChangeResourceRecordSets') {
            expect(resources(s)).toEqual(['arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ']);
          }
          if (
            action.startsWith('iam:') &&
            !['iam:ListPolicies', 'iam:CreateServiceLinkedRole', 'iam:PassRole'].includes(action)
          ) {
            for (const r of resources(s)) {
              expect(r).toMatch(/^arn:aws:iam::123456789012:role\/(lambdaflex\/eu-west-1\/)?lf-\*$/);
            }
          }
        }
      }
    });

    it('is delivered in parts each under the managed-policy limit, even for long names and many zones', () => {
      const worst: PolicyContext = {
        ...context,
        region: 'ap-southeast-5',
        tableName: 't'.repeat(255),
        hostedZones: Array.from({ length: 10 }, (_, i) => ({
          id: `Z${String(i).padStart(20, '0')}`,
          recordNames: [`*.a-rather-long-subdomain-name-${i}.example.com`],
        })),
      };
      for (const part of reconcilerPolicies(worst)) {
        expect({ part: part.part, fits: policySize(part.document) < MANAGED_POLICY_LIMIT }).toEqual({
          part: part.part,
          fits: true,
        });
      }
    });

    it('maps API Gateway operations to HTTP verbs', () => {
      expect(iamActionOf('apigatewayv2:CreateApi')).toBe('apigateway:POST');
      expect(iamActionOf('apigatewayv2:UpdateStage')).toBe('apigateway:PATCH');
      expect(iamActionOf('elbv2:CreateLoadBalancer')).toBe('elasticloadbalancing:CreateLoadBalancer');
      expect(grantedActions()).not.toContain('iam:PutRolePolicy');
    });
  });
});
