import request from 'supertest';
import { StateStoreError, type StackEvent } from '../../reconciler/state/types';
import { buildTestApp, STACK, type TestApp } from './support';
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
    const res = await request(t.app.getHttpServer()).get('/stack-status').expect(200);
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
    const res = await request(t.app.getHttpServer()).get('/stack-status').expect(200);
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

  it("answers 503 with the store's message when the table cannot be read", async () => {
    const broken = new InMemoryStateStore();
    broken.get = () =>
      Promise.reject(new StateStoreError('reading stack (shop): table lambdaflex does not exist'));
    const b = await buildTestApp({}, broken);
    const res = await request(b.app.getHttpServer()).get('/stack-status').expect(503);
    expect(res.body.message).toBe('reading stack (shop): table lambdaflex does not exist');
    await b.app.close();
  });
});
