import request from 'supertest';
import { validateSpec } from '../../spec';
import { bearer, buildTestApp, STACK, type TestApp } from './support';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1';
const doc = { stack: STACK, image: IMAGE };

/** The ETag the contract gives a record: its generation, a dot, its incarnation. */
const etagOf = (record: { generation: number; incarnation?: string } | undefined) =>
  `"${record!.generation}.${record!.incarnation}"`;

describe('/desired-state', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    t = await buildTestApp();
    http = request(t.app.getHttpServer());
  });
  afterEach(() => t.app.close());

  /** One reconciler pass's status write: it raises the record's version, not the spec's generation. */
  function writeStatus() {
    return t.store.writeStatus(STACK, (r) => ({
      observedGeneration: r.generation,
      phase: 'Lambda',
      conditions: [],
      resources: {},
    }));
  }

  describe('GET', () => {
    it('answers 404 naming the stack when it has no record', async () => {
      const res = await http.get('/desired-state').set('Authorization', bearer).expect(404);
      expect(res.body.message).toContain(`stack ${STACK} has no record`);
    });

    it("returns the stored spec with the spec's generation as a quoted ETag, whatever the status writes", async () => {
      await t.store.putSpec(doc);
      await t.store.putSpec({ ...doc, mode: 'lambda' });
      await writeStatus();
      const res = await http.get('/desired-state').set('Authorization', bearer).expect(200);
      const record = await t.store.get(STACK);
      expect(record?.incarnation).toMatch(/^[0-9a-f]{12}$/);
      expect(res.headers.etag).toBe(`"2.${record!.incarnation}"`);
      expect(res.body).toMatchObject({ stack: STACK, image: IMAGE, mode: 'lambda' });
    });

    describe('without the token', () => {
      const secret = { ...doc, environment: { DB_PASSWORD: 'hunter2-s3cret' } };

      it('answers 401 with WWW-Authenticate and shows nothing of the spec', async () => {
        await t.store.putSpec(secret);
        const res = await http.get('/desired-state').expect(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'a bearer token is required',
        });
        expect(res.headers.etag).toBeUndefined();
      });

      it('answers 401 to a wrong token and to another scheme, with no environment value', async () => {
        await t.store.putSpec(secret);
        for (const authorization of ['Bearer nope', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(64)}`]) {
          const res = await http.get('/desired-state').set('Authorization', authorization).expect(401);
          expect(res.text).not.toContain('hunter2');
          expect(res.text).not.toContain('DB_PASSWORD');
        }
      });

      it('answers 403 to everyone, the token holder too, when no token hash is configured', async () => {
        const locked = await buildTestApp({ LAMBDAFLEX_API_TOKEN_SHA256: '' }, t.store);
        await t.store.putSpec(secret);
        const res = await request(locked.app.getHttpServer())
          .get('/desired-state')
          .set('Authorization', bearer)
          .expect(403);
        expect(res.body.message).toMatch(/the API is locked: .*api\.tokenSha256/);
        expect(res.text).not.toContain('hunter2');
        await locked.app.close();
      });
    });
  });

  describe('PUT', () => {
    it('creates the stack with If-None-Match: * (201, ETag "1.<incarnation>", defaults filled in)', async () => {
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .send(doc)
        .expect(201);
      expect(res.headers.etag).toBe(etagOf(await t.store.get(STACK)));
      expect(res.headers.etag).toMatch(/^"1\.[0-9a-f]{12}"$/);
      expect(res.body).toMatchObject({ stack: STACK, mode: 'auto' });
      expect((await t.store.get(STACK))?.version).toBe(1);
    });

    it('replaces the spec when If-Match holds the current ETag, and answers the new ETag', async () => {
      const { incarnation } = await t.store.putSpec(doc);
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', `"1.${incarnation}"`)
        .send({ ...doc, mode: 'fargate' })
        .expect(200);
      expect(res.headers.etag).toBe(`"2.${incarnation}"`);
      expect((await t.store.get(STACK))?.spec).toMatchObject({ mode: 'fargate' });
    });

    it('writes over the status writes made between GET and PUT (a read-edit-write succeeds)', async () => {
      await t.store.putSpec(doc);
      const read = await http.get('/desired-state').set('Authorization', bearer).expect(200);
      // The reconciler's passes meanwhile: each writes the status, raising the record's version.
      for (let pass = 0; pass < 3; pass++) await writeStatus();
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', read.headers.etag)
        .send({ ...read.body, mode: 'fargate' })
        .expect(200);
      expect(res.headers.etag).toBe(
        etagOf({ generation: 2, incarnation: (await t.store.get(STACK))?.incarnation }),
      );
      expect(await t.store.get(STACK)).toMatchObject({
        spec: { mode: 'fargate' },
        status: { phase: 'Lambda' },
      });
    });

    it('answers 412 when the spec was edited between GET and PUT, and writes nothing', async () => {
      await t.store.putSpec(doc);
      const read = await http.get('/desired-state').set('Authorization', bearer).expect(200);
      await t.store.putSpec({ ...doc, mode: 'lambda' });
      await writeStatus();
      const before = await t.store.get(STACK);
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', read.headers.etag)
        .send({ ...read.body, mode: 'fargate' })
        .expect(412);
      const { incarnation } = before!;
      expect(res.body.message).toBe(
        `the desired state changed since it was read: expected ETag "1.${incarnation}", found "2.${incarnation}"; GET /desired-state again and retry`,
      );
      expect(res.body.currentEtag).toBe(`"2.${incarnation}"`);
      expect(await t.store.get(STACK)).toEqual(before);
    });

    it('answers 412 on a stale ETag and writes nothing', async () => {
      const { incarnation } = await t.store.putSpec(doc);
      await t.store.putSpec({ ...doc, mode: 'lambda' });
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', `"1.${incarnation}"`)
        .send({ ...doc, mode: 'fargate' })
        .expect(412);
      expect(res.body.message).toMatch(/changed since it was read/);
      expect(res.body.currentEtag).toBe(`"2.${incarnation}"`);
      expect((await t.store.get(STACK))?.spec).toMatchObject({ mode: 'lambda' });
    });

    it('answers 409 naming the pending delete while the stack is being deleted, and stores nothing', async () => {
      await t.store.putSpec(doc);
      await t.store.requestDelete(STACK);
      const before = await t.store.get(STACK);
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', `"${before!.version}"`)
        .send({ ...doc, mode: 'fargate' })
        .expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(res.body.message).toMatch(
        new RegExp(
          `^writing spec \\(${STACK}\\): the stack's deletion was requested at .*; it takes no new spec`,
        ),
      );
      // No ETag on an error answer: a client would take it for the record's.
      expect(res.headers.etag).toBeUndefined();
      expect(await t.store.get(STACK)).toEqual(before);
    });

    it('answers 412 to If-None-Match: * when the stack exists, and to If-Match: * when it does not', async () => {
      await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', '*')
        .send(doc)
        .expect(412);
      await t.store.putSpec(doc);
      await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .send(doc)
        .expect(412);
      await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', '*')
        .send({ ...doc, mode: 'lambda' })
        .expect(200);
    });

    it('answers 428 without If-Match, in the shape of every error answer', async () => {
      await t.store.putSpec(doc);
      const res = await http.put('/desired-state').set('Authorization', bearer).send(doc).expect(428);
      expect(res.body).toEqual({
        statusCode: 428,
        error: 'Precondition Required',
        message: expect.stringMatching(/If-Match is required/),
      });
    });

    it('answers 400 to an If-Match that is not one ETag, with the error field every error answer has', async () => {
      const { incarnation } = await t.store.putSpec(doc);
      const malformed = [
        '"1", "2"',
        'W/"1", "abc"',
        '"abc"',
        // Generation 0 is no record's: it must not be read as "create the stack".
        '"0"',
        `"0.${incarnation}"`,
        '"1."',
        `"1.${incarnation}.2"`,
        '"1.9f2c!e1a7b3d"',
        `"1.${'a'.repeat(65)}"`,
        `"${incarnation}"`,
      ];
      for (const ifMatch of malformed) {
        const res = await http
          .put('/desired-state')
          .set('Authorization', bearer)
          .set('If-Match', ifMatch)
          .send({ ...doc, mode: 'lambda' })
          .expect(400);
        expect(res.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: expect.stringMatching(/^If-Match must be one ETag/),
        });
      }
      expect((await t.store.get(STACK))?.version).toBe(1);
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', '"1.9f2c!e1a7b3d"')
        .send({ ...doc, mode: 'lambda' })
        .expect(400);
      expect(res.body.message).toBe(
        'If-Match must be one ETag from GET /desired-state, such as "3.9f2c4e1a7b3d": a generation of 1 or more, a dot, and the record\'s incarnation (got "1.9f2c!e1a7b3d")',
      );
    });

    it('answers 400 with the error field to If-Match and If-None-Match together', async () => {
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', '"1"')
        .set('If-None-Match', '*')
        .send(doc)
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'send either If-Match or If-None-Match, not both',
      });
    });

    it('answers 400 with the errors of validateSpec, each with its path, and the image Lambda cannot run', async () => {
      const bad = { stack: STACK, image: 'nginx:1.27', mode: 'sometimes', fargate: { minTasks: -1 } };
      const expected = validateSpec(bad);
      if (expected.ok) throw new Error('the fixture should be invalid');
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-Match', '"1"')
        .send(bad)
        .expect(400);
      // One answer names every problem: the image's too, not only once the rest is fixed.
      expect(res.body.errors).toEqual([
        ...expected.errors,
        { path: 'image', message: expect.stringMatching(/^must be in a private Amazon ECR repository /) },
      ]);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(
        expect.arrayContaining(['mode', 'fargate.minTasks']),
      );
    });

    it('answers 400 to an image Lambda cannot run, in its region when the service knows it, and stores nothing', async () => {
      const refused = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .send({ ...doc, image: 'nginx:1.27' })
        .expect(400);
      expect(refused.body.errors).toEqual([
        { path: 'image', message: expect.stringMatching(/^must be in a private Amazon ECR repository /) },
      ]);
      expect(await t.store.get(STACK)).toBeUndefined();
      // Lambda and ECS give the service its region (AWS_REGION): another region's repository is refused.
      const west = await buildTestApp({ AWS_REGION: 'eu-west-1' });
      try {
        const res = await request(west.app.getHttpServer())
          .put('/desired-state')
          .set('Authorization', bearer)
          .set('If-None-Match', '*')
          .send(doc)
          .expect(400);
        expect(res.body.errors).toEqual([
          { path: 'image', message: expect.stringMatching(/^is in us-east-1, .*only \(eu-west-1\)/) },
        ]);
        expect(await west.store.get(STACK)).toBeUndefined();
      } finally {
        await west.app.close();
      }
    });

    it('answers 400 when the body names another stack', async () => {
      const res = await http
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .send({ ...doc, stack: 'other' })
        .expect(400);
      expect(res.body.errors).toEqual([
        { path: 'stack', message: expect.stringContaining(`must be ${STACK}`) },
      ]);
      expect(await t.store.get('other')).toBeUndefined();
    });

    it('answers 401 with WWW-Authenticate without a bearer token, before looking at the body', async () => {
      const res = await http.put('/desired-state').set('If-Match', '"1"').send({}).expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body.message).toMatch(/bearer token is required/);
    });

    it('answers 401 to a wrong token, and to a non-bearer scheme', async () => {
      await http
        .put('/desired-state')
        .set('Authorization', 'Bearer nope')
        .set('If-Match', '"1"')
        .send(doc)
        .expect(401);
      await http
        .put('/desired-state')
        .set('Authorization', 'Basic Zm9vOmJhcg==')
        .set('If-Match', '"1"')
        .send(doc)
        .expect(401);
    });

    it('refuses every write, saying the API is locked, when no token hash is configured', async () => {
      const locked = await buildTestApp({ LAMBDAFLEX_API_TOKEN_SHA256: '' });
      const res = await request(locked.app.getHttpServer())
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .send(doc)
        .expect(403);
      expect(res.body.message).toMatch(/the API is locked/);
      expect(await locked.store.get(STACK)).toBeUndefined();
      await locked.app.close();
    });

    it('refuses every write when the configured hash is not a SHA-256', async () => {
      const locked = await buildTestApp({ LAMBDAFLEX_API_TOKEN_SHA256: 'abc123' });
      const res = await request(locked.app.getHttpServer())
        .put('/desired-state')
        .set('Authorization', bearer)
        .set('If-None-Match', '*')
        .send(doc)
        .expect(403);
      expect(res.body.message).toMatch(/the API is locked: .* not a 64-digit hex/);
      await locked.app.close();
    });
  });
});
