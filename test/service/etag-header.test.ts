/**
 * The `ETag` header is the desired state's entity tag and nothing else: a client that takes the ETag of the
 * answer it got (as HTTP clients do) must never get one that is not a record's. Express hashes every body
 * it sends into a weak ETag of its own; an error answer carrying one would read as the spec's, and sent
 * back in If-Match it is refused. A 412 carries the current ETag, the one to send after reading again.
 */
import request from 'supertest';
import { bearer, buildTestApp, STACK, type TestApp } from './support';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1';
const doc = { stack: STACK, image: IMAGE };

describe('the ETag header of /desired-state and the other answers', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    t = await buildTestApp();
    http = request(t.app.getHttpServer());
  });
  afterEach(() => t.app.close());

  it('is the current ETag on a 412, the same as its body names', async () => {
    const { incarnation } = await t.store.putSpec(doc);
    await t.store.putSpec({ ...doc, mode: 'lambda' });
    const res = await http
      .put('/desired-state')
      .set('Authorization', bearer)
      .set('If-Match', `"1.${incarnation}"`)
      .send({ ...doc, mode: 'fargate' })
      .expect(412);
    expect(res.body.currentEtag).toBe(`"2.${incarnation}"`);
    expect(res.headers.etag).toBe(`"2.${incarnation}"`);
  });

  it.each([
    ['401 without a token', () => http.get('/desired-state')],
    ['401 with a wrong token', () => http.get('/desired-state').set('Authorization', 'Bearer wrong')],
    [
      '400 on a malformed If-Match',
      () => http.put('/desired-state').set('Authorization', bearer).set('If-Match', 'garbage').send(doc),
    ],
    ['428 without If-Match', () => http.put('/desired-state').set('Authorization', bearer).send(doc)],
    [
      '400 on an invalid spec',
      () =>
        http
          .put('/desired-state')
          .set('Authorization', bearer)
          .set('If-Match', '*')
          .send({ ...doc, mode: 'turbo' }),
    ],
    ['404 on an unknown path', () => http.get('/no-such-path')],
  ])('is absent on a %s', async (_name, send) => {
    await t.store.putSpec(doc);
    const before = await t.store.get(STACK);
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.etag).toBeUndefined();
    expect(await t.store.get(STACK)).toEqual(before);
  });

  it('is absent on GET /stack-status and /health: only the desired state has an entity tag', async () => {
    await t.store.putSpec(doc);
    for (const path of ['/stack-status', '/health']) {
      const res = await http.get(path).set('Authorization', bearer).expect(200);
      expect([path, res.headers.etag]).toEqual([path, undefined]);
    }
  });
});
