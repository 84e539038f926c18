import request from 'supertest';
import { buildTestApp, type TestApp } from './support';
import { ItemsService, MAX_ITEMS } from '../../service/items/items.service';

describe('/items', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    t = await buildTestApp();
    http = request(t.app.getHttpServer());
  });
  afterEach(() => t.app.close());

  it('creates, lists, reads, replaces and deletes an item', async () => {
    const created = await http.post('/items').send({ name: 'mug', price: 7.5 }).expect(201);
    expect(created.body).toMatchObject({ name: 'mug', price: 7.5, tags: [] });
    const id: string = created.body.id;
    expect((await http.get('/items').expect(200)).body).toEqual([created.body]);
    expect((await http.get(`/items/${id}`).expect(200)).body).toEqual(created.body);
    const replaced = await http
      .put(`/items/${id}`)
      .send({ name: 'big mug', price: 9, tags: ['kitchen'] })
      .expect(200);
    expect(replaced.body).toMatchObject({
      id,
      name: 'big mug',
      price: 9,
      tags: ['kitchen'],
      createdAt: created.body.createdAt,
    });
    await http.delete(`/items/${id}`).expect(204);
    await http.get(`/items/${id}`).expect(404);
    expect((await http.get('/items').expect(200)).body).toEqual([]);
  });

  it('answers 400 with the path and rule of every problem in the body', async () => {
    const res = await http
      .post('/items')
      .send({ price: -1, tags: [''], colour: 'red' })
      .expect(400);
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['colour', 'name', 'price', 'tags.0']);
    expect(res.body.errors.find((e: { path: string }) => e.path === 'price').message).toBe(
      'must be at least 0',
    );
  });

  it('validates PUT bodies too', async () => {
    const { body } = await http.post('/items').send({ name: 'mug', price: 1 }).expect(201);
    const res = await http.put(`/items/${body.id}`).send({ name: 'mug' }).expect(400);
    expect(res.body.errors).toEqual([{ path: 'price', message: 'is required' }]);
  });

  it('answers 404 for an unknown id on GET, PUT and DELETE', async () => {
    await http.get('/items/missing').expect(404);
    await http.put('/items/missing').send({ name: 'x', price: 1 }).expect(404);
    await http.delete('/items/missing').expect(404);
  });
});

describe('/items is bounded', () => {
  it('answers 507 past MAX_ITEMS, stores nothing more, and takes items again once some are deleted', async () => {
    const t = await buildTestApp();
    try {
      const http = request(t.app.getHttpServer());
      // Filled through the service: a thousand HTTP round trips would only slow the test down.
      const items = t.app.get(ItemsService);
      const first = items.create({ name: 'item 0', price: 1 });
      for (let i = 1; i < MAX_ITEMS; i++) items.create({ name: `item ${i}`, price: 1 });
      const refused = await http.post('/items').send({ name: 'one more', price: 1 }).expect(507);
      expect(refused.body).toMatchObject({
        statusCode: 507,
        message: `the sample store holds at most ${MAX_ITEMS} items: delete some first`,
      });
      expect(items.list()).toHaveLength(MAX_ITEMS);
      await http.delete(`/items/${first.id}`).expect(204);
      await http.post('/items').send({ name: 'one more', price: 1 }).expect(201);
    } finally {
      await t.app.close();
    }
  });
});
