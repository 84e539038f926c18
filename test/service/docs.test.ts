import request from 'supertest';
import { buildTestApp, type TestApp } from './support';

describe('/docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.app.close());

  it('serves an OpenAPI document listing every route with its methods', async () => {
    const res = await request(t.app.getHttpServer()).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const routes = Object.fromEntries(
      Object.entries(res.body.paths as Record<string, object>).map(([path, ops]) => [
        path,
        Object.keys(ops).sort(),
      ]),
    );
    expect(routes).toEqual({
      '/health': ['get'],
      '/stack-status': ['get'],
      '/desired-state': ['get', 'put'],
      '/items': ['get', 'post'],
      '/items/{id}': ['delete', 'get', 'put'],
    });
  });

  it('documents the bearer token, If-Match and the 400/401/412/428 answers of PUT /desired-state', async () => {
    const res = await request(t.app.getHttpServer()).get('/docs-json').expect(200);
    const put = res.body.paths['/desired-state'].put;
    expect(put.security).toEqual([{ bearer: [] }]);
    expect(put.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['If-Match']));
    expect(Object.keys(put.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '412', '428']),
    );
    expect(put.requestBody.content['application/json'].schema.required).toEqual(['stack', 'image']);
  });

  it('serves the Swagger UI', async () => {
    const res = await request(t.app.getHttpServer()).get('/docs').redirects(1).expect(200);
    expect(res.text).toMatch(/swagger-ui/i);
  });
});
