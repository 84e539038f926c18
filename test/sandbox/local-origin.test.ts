/**
 * The sandbox's controls answer only this machine's own pages: a write whose Host is another name (DNS
 * rebinding) or whose Origin is another site is refused before the dashboard sees it.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DashboardSource, DashboardState } from '../../sandbox/dashboard/dashboard-source';
import { listenLocalOnly } from './local-dashboard';

describe('localRequestsOnly, in front of the dashboard', () => {
  let app: INestApplication;
  let port: number;
  const rates: number[] = [];
  const source: DashboardSource = {
    state: async () => ({ stack: 'demo' }) as DashboardState,
    setTraffic: async (rps) => {
      rates.push(rps);
    },
    setMode: async () => undefined,
  };

  beforeAll(async () => {
    ({ app, port } = await listenLocalOnly(source));
  });
  afterAll(() => app.close());
  beforeEach(() => (rates.length = 0));

  const put = (headers: Record<string, string>) => {
    let call = request(`http://127.0.0.1:${port}`).put('/sandbox/traffic');
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
    return call.send({ rps: 5 });
  };

  it.each(['localhost', '127.0.0.1', '[::1]'])('takes a change for Host %s on its own port', async (name) => {
    await put({ Host: `${name}:${port}`, Origin: `http://${name}:${port}` }).expect(200);
    expect(rates).toEqual([5]);
  });

  it('takes a change without an Origin (curl, scripts)', async () => {
    await put({ Host: `localhost:${port}` }).expect(200);
    expect(rates).toEqual([5]);
  });

  // Headers are built per test: the port is known only once the server listens.
  const refused: [string, (p: number) => Record<string, string>, RegExp][] = [
    [
      'another name (DNS rebinding)',
      (p) => ({ Host: `attacker.example:${p}` }),
      /Host was attacker\.example/,
    ],
    ['another port', (p) => ({ Host: `localhost:${p + 1}` }), /Host was localhost:/],
    [
      'another site as Origin',
      (p) => ({ Host: `localhost:${p}`, Origin: 'http://attacker.example' }),
      /Origin was http:\/\/attacker\.example/,
    ],
    ['an opaque Origin', (p) => ({ Host: `localhost:${p}`, Origin: 'null' }), /Origin was null/],
  ];

  it.each(refused)(
    'refuses a change from %s with 403, and changes nothing',
    async (_case, headers, message) => {
      const res = await put(headers(port)).expect(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: expect.stringMatching(message),
      });
      expect(rates).toEqual([]);
    },
  );

  it('leaves reads alone', async () => {
    await request(`http://127.0.0.1:${port}`)
      .get('/sandbox/state')
      .set('Host', `attacker.example:${port}`)
      .expect(200);
  });
});
