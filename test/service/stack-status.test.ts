import request from 'supertest';
import { StateStoreError, type StackEvent } from '../../reconciler/state/types';
import { bearer, buildTestApp, STACK, type TestApp } from './support';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';

describe('GET /stack-status', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.app.close());

  it('answers 404 with a clear message when the stack has no record', async () => {
    const res = await request(t.app.getHttpServer()).get('/stack-status').expect(404);
    expect(res.body.message).toMatch(/stack shop has no record in table lambdaflex-test/);
  });

  it('reads as Pending before the reconciler wrote any status', async () => {
    await t.store.putSpec({ stack: STACK, image: 'nginx:1.27' });
    const res = await request(t.app.getHttpServer())
      .get('/stack-status')
      .set('Authorization', bearer)
      .expect(200);
    expect(res.body).toMatchObject({
      stack: STACK,
      phase: 'Pending',
      generation: 1,
      conditions: [],
      resources: {},
      events: [],
    });
  });

  it('shows phase, tier, traffic, conditions, last decision, resources and the newest events first', async () => {
    await t.store.putSpec({ stack: STACK, image: 'nginx:1.27' });
    await t.store.writeStatus(STACK, () => ({
      observedGeneration: 1,
      phase: 'ScalingUp',
      tier: 'fargate',
      traffic: { lambda: 75, fargate: 25 },
      conditions: [
        { type: 'SpecValid', status: 'True', reason: 'Valid', message: '', lastTransitionTime: 5 },
      ],
      lastDecision: { tier: 'fargate', reason: '412 rps for 10 min above 300 rps', at: 7 },
      resources: { alb: { kind: 'LoadBalancer', id: 'lf-shop-alb', arn: 'arn:aws:elasticloadbalancing:x' } },
    }));
    const events: StackEvent[] = Array.from({ length: 30 }, (_, i) => ({
      at: i,
      type: 'Normal',
      reason: `Step${i}`,
      message: '',
    }));
    await t.store.appendEvents(STACK, events);
    const res = await request(t.app.getHttpServer())
      .get('/stack-status')
      .set('Authorization', bearer)
      .expect(200);
    expect(res.body).toMatchObject({
      phase: 'ScalingUp',
      tier: 'fargate',
      traffic: { lambda: 75, fargate: 25 },
      observedGeneration: 1,
      lastDecision: { tier: 'fargate', reason: '412 rps for 10 min above 300 rps' },
      conditions: [{ type: 'SpecValid', status: 'True' }],
      resources: { alb: { id: 'lf-shop-alb' } },
    });
    expect(res.body.events).toHaveLength(20);
    expect(res.body.events[0].reason).toBe('Step29');
    expect(res.body.events[19].reason).toBe('Step10');
  });

  it('answers 503 when the service was started without a stack name', async () => {
    const bare = await buildTestApp({ LAMBDAFLEX_STACK: '' });
    const res = await request(bare.app.getHttpServer()).get('/stack-status').expect(503);
    expect(res.body.message).toMatch(/LAMBDAFLEX_STACK/);
    await bare.app.close();
  });

  describe('without the token', () => {
    /** A stack stopped by AWS's AccessDenied: the message names the account and the role. */
    const AWS_TEXT =
      'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/lf-shop-reconciler/x is not authorized';
    async function failedStack(): Promise<void> {
      await t.store.putSpec({ stack: STACK, image: 'nginx:1.27' });
      await t.store.writeStatus(STACK, () => ({
        observedGeneration: 1,
        phase: 'Error',
        tier: 'lambda',
        traffic: { lambda: 100, fargate: 0 },
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'AccessDenied',
            message: AWS_TEXT,
            lastTransitionTime: 5,
          },
        ],
        lastDecision: { tier: 'lambda', reason: AWS_TEXT, at: 7 },
        resources: {
          fn: {
            kind: 'Function',
            id: 'lf-shop',
            arn: 'arn:aws:lambda:us-east-1:123456789012:function:lf-shop',
          },
        },
      }));
      await t.store.appendEvents(STACK, [{ at: 6, type: 'Warning', reason: 'Terminal', message: AWS_TEXT }]);
    }

    it('shows the phase, tier, traffic and condition states, and no AWS text, ARN or account id', async () => {
      await failedStack();
      for (const authorization of [undefined, 'Bearer wrong']) {
        const call = request(t.app.getHttpServer()).get('/stack-status');
        const res = await (authorization ? call.set('Authorization', authorization) : call).expect(200);
        expect(res.body).toEqual({
          stack: STACK,
          generation: 1,
          observedGeneration: 1,
          phase: 'Error',
          tier: 'lambda',
          traffic: { lambda: 100, fargate: 0 },
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: 5 }],
        });
        expect(res.text).not.toMatch(/123456789012|AccessDenied|arn:/);
      }
    });

    it('shows everything with the token', async () => {
      await failedStack();
      const res = await request(t.app.getHttpServer())
        .get('/stack-status')
        .set('Authorization', bearer)
        .expect(200);
      expect(res.body.conditions[0].message).toBe(AWS_TEXT);
      expect(res.body.resources.fn.arn).toMatch(/123456789012/);
    });
  });

  it("answers 503 with a fixed message and the request id, never the store's or AWS's text, which goes to the log", async () => {
    const broken = new InMemoryStateStore();
    const awsError = Object.assign(
      new Error(
        'User: arn:aws:sts::123456789012:assumed-role/lf-shop-lambda/x is not authorized to perform: dynamodb:GetItem',
      ),
      { name: 'AccessDeniedException' },
    );
    broken.get = () =>
      Promise.reject(
        new StateStoreError(`reading stack (shop): ${awsError.name}: ${awsError.message}`, {
          cause: awsError,
        }),
      );
    const b = await buildTestApp({}, broken);
    for (const authorization of [undefined, bearer]) {
      const call = request(b.app.getHttpServer()).get('/stack-status');
      const res = await (authorization ? call.set('Authorization', authorization) : call).expect(503);
      const requestId = res.headers['x-request-id'];
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.stringMatching(/^the state store could not be read or written; the service log/),
        requestId,
      });
      expect(res.text).not.toMatch(/123456789012|AccessDenied|arn:|dynamodb/);
      expect(b.logger.entries).toContainEqual(
        expect.objectContaining({
          msg: 'request failed',
          requestId,
          status: 503,
          error: expect.stringContaining('AccessDeniedException: User: arn:aws:sts::123456789012'),
        }),
      );
    }
    await b.app.close();
  });
});
