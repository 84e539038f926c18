/**
 * The reconciler's generated IAM policy against the code: (a) every operation the code sends is
 * granted and nothing is granted that no code sends, both by scanning the handler's import graph and by
 * recording a scale-up, scale-down and delete against the simulated AWS; (b) no mutating action is
 * granted on `*` without a condition where AWS offers something narrower.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { countCalls, isMutatingOperation } from '../../../reconciler/aws/call-counter';
import { createHandler } from '../../../reconciler/handler';
import { reconcilerPolicy, type Statement } from '../../../reconciler/iam/policy';
import { IMPLIED_GRANTS, RECONCILER_ACTIONS, iamActionOf } from '../../../reconciler/iam/registry';
import { OPERATION_SCOPES } from '../../../reconciler/iam/scopes';
import { reconcileStack, type ReconcilerOptions } from '../../../reconciler/reconcile';
import { ALL_KINDS } from '../../../reconciler/resources';
import { dnsRecordKind } from '../../../reconciler/resources/dns-record';
import { LAMBDA_TIER_KINDS } from '../../../reconciler/resources/lambda-tier';
import { FARGATE_TIER_KINDS } from '../../../reconciler/resources/fargate-tier';
import type { ResourceKind } from '../../../reconciler/resources/types';
import { DynamoStateStore } from '../../../reconciler/state';
import { createSimulatedAws } from '../../../sim';
import { addHostedZone } from '../../../sim/services/route53';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { operationsInCode } from './code-scan';

const TABLE_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/lambdaflex';
const registry = new Set(RECONCILER_ACTIONS.map((a) => a.call));

/** Every kind a stack can have, whatever ALL_KINDS holds today. */
function everyKind(): ResourceKind[] {
  const byKey = new Map<string, ResourceKind>();
  for (const kind of [...LAMBDA_TIER_KINDS, ...ALL_KINDS, ...FARGATE_TIER_KINDS, dnsRecordKind('fargate')]) {
    if (!byKey.has(kind.key)) byKey.set(kind.key, kind);
  }
  const order = [...LAMBDA_TIER_KINDS, ...FARGATE_TIER_KINDS, dnsRecordKind('fargate')].map((k) => k.key);
  return [...byKey.values()].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}

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

describe('reconciler IAM policy', () => {
  describe('(a) granted = called', () => {
    it('grants exactly the operations the handler and everything it imports can send', async () => {
      const inCode = await operationsInCode();
      const missing = [...inCode.keys()].filter((op) => !registry.has(op));
      const unused = [...registry].filter((op) => !inCode.has(op));
      expect({ missing, unused }).toEqual({ missing: [], unused: [] });
    });

    let db: TestDynamo;
    beforeAll(async () => (db = await startTestDynamo()));
    afterAll(() => db.stop());

    it('a scale-up, scale-down and delete against the simulated AWS call nothing the policy lacks', async () => {
      const { account, clients } = createSimulatedAws({ seed: 5 });
      const zone = addHostedZone(account, 'example.com');
      const called = new Set<string>();
      recordTableCalls(db.client, called);
      const store = new DynamoStateStore({ client: db.client, tableName: 'iam-run' });
      await store.ensureTable();
      called.clear(); // ensureTable is the CLI's and bootstrap's, not the Lambda's
      const options: ReconcilerOptions = {
        store,
        clients,
        region: account.region,
        kinds: everyKind(),
        holder: 'iam-test',
        now: () => account.now(),
      };
      const phases: string[] = [];
      const settle = async () => {
        for (let i = 0; i < 200; i++) {
          const r = await reconcileStack(options, 'web');
          for (const op of Object.keys(r.calls.byOperation)) called.add(op);
          if (r.phase) phases.push(r.phase);
          if (r.settled || r.outcome === 'deleted') return r;
          account.advance(Math.max(5_000, r.requeueAfterMs ?? 15_000));
        }
        throw new Error('not settled');
      };
      const spec = {
        stack: 'web',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1',
        fargate: { cpu: 256, memoryMb: 512, minTasks: 1, maxTasks: 2, targetRequestsPerTask: 100 },
        dns: {
          hostedZoneId: zone,
          recordName: 'api.example.com',
          ttlSeconds: 60,
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      };
      await store.putSpec({ ...spec, mode: 'fargate' });
      expect(await settle()).toMatchObject({ phase: 'Fargate' });
      await store.putSpec({ ...spec, mode: 'lambda' }, {});
      expect(await settle()).toMatchObject({ phase: 'Lambda' });
      await store.requestDelete('web');
      expect(await settle()).toMatchObject({ outcome: 'deleted' });

      // The handler's own calls: the requeue schedule while a stack is mid-transition.
      await store.putSpec({ ...spec, stack: 'web2', mode: 'fargate' });
      const handler = createHandler({
        store,
        clients,
        region: account.region,
        kinds: everyKind(),
        now: () => account.now(),
        logger: new Logger({ logLevel: 'SILENT' }),
        metrics: new Metrics({ namespace: 'LambdaFlex' }),
        schedulerRoleArn: 'arn:aws:iam::123456789012:role/lambdaflex-reconciler-scheduler',
      });
      const context = {
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lambdaflex-reconciler',
        getRemainingTimeInMillis: () => 120_000,
      } as unknown as Context;
      const silenced = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        const { calls } = await countCalls(() => handler({}, context));
        for (const op of Object.keys(calls.byOperation)) called.add(op);
      } finally {
        silenced.mockRestore();
      }

      const notGranted = [...called].filter((op) => !registry.has(op)).sort();
      expect(notGranted).toEqual([]);
      // The run really went up and down: deletes of both tiers' resources were among the calls.
      expect([...called]).toEqual(
        expect.arrayContaining(['elbv2:DeleteLoadBalancer', 'ec2:DeleteVpc', 'lambda:DeleteFunction']),
      );
      expect([...called]).toEqual(
        expect.arrayContaining(['scheduler:CreateSchedule', 'dynamodb:UpdateItem']),
      );
      // Every implied grant is implied by something that was called or is in the code.
      for (const grant of IMPLIED_GRANTS) {
        expect(grant.impliedBy.some((op) => registry.has(op))).toBe(true);
      }
    });
  });

  describe('(b) least privilege', () => {
    const policy = reconcilerPolicy({ tableArn: TABLE_ARN });
    const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
    const scopeOf = (action: string) =>
      RECONCILER_ACTIONS.filter((a) => a.action === action).map((a) => OPERATION_SCOPES[a.call]!);
    const readOnly = (action: string) => {
      const [prefix, name] = action.split(':') as [string, string];
      return prefix === 'apigateway' ? name === 'GET' : !isMutatingOperation(name);
    };

    it('grants no mutating action on * without a condition, unless AWS offers nothing narrower', () => {
      const offenders = policy.Statement.filter((s) => resources(s).includes('*') && !s.Condition)
        .flatMap((s) => s.Action)
        .filter((action) => !readOnly(action))
        .filter((action) => !scopeOf(action).every((scope) => scope.why));
      expect(offenders).toEqual([]);
    });

    it('conditions mutating EC2, ELB, ECS, Lambda and IAM grants on the ownership tag', () => {
      const tagged = ['ec2', 'elasticloadbalancing', 'ecs', 'lambda', 'iam', 'application-autoscaling'];
      const unconditioned = policy.Statement.filter(
        (s) => !JSON.stringify(s.Condition ?? {}).includes('lambdaflex:managed-by'),
      )
        .flatMap((s) => s.Action.map((action) => ({ action, sid: s.Sid, condition: s.Condition })))
        .filter(({ action }) => tagged.includes(action.split(':')[0]!) && !readOnly(action))
        // Tag-on-create, PassRole and service-linked roles are conditioned on what they are for instead.
        .filter(({ condition }) => !condition)
        .filter(({ action }) => !scopeOf(action).every((scope) => scope.why));
      expect(unconditioned).toEqual([]);
    });

    it('limits IAM to the stack roles (lf-*), and DynamoDB to the table', () => {
      for (const s of policy.Statement) {
        for (const action of s.Action) {
          if (action.startsWith('dynamodb:')) expect(resources(s)).toEqual([TABLE_ARN]);
          if (
            action.startsWith('iam:') &&
            action !== 'iam:PassRole' &&
            action !== 'iam:CreateServiceLinkedRole'
          ) {
            expect(resources(s)).toEqual(['arn:aws:iam::*:role/lf-*']);
          }
        }
      }
      const passRole = policy.Statement.filter((s) => s.Action.includes('iam:PassRole'));
      expect(passRole.every((s) => JSON.stringify(s.Condition).includes('iam:PassedToService'))).toBe(true);
    });

    it('fits in a role inline policy (10,240 characters without whitespace)', () => {
      expect(JSON.stringify(policy).length).toBeLessThan(10_240);
    });

    it('maps API Gateway operations to HTTP verbs', () => {
      expect(iamActionOf('apigatewayv2:CreateApi')).toBe('apigateway:POST');
      expect(iamActionOf('apigatewayv2:UpdateStage')).toBe('apigateway:PATCH');
      expect(iamActionOf('elbv2:CreateLoadBalancer')).toBe('elasticloadbalancing:CreateLoadBalancer');
    });
  });
});
