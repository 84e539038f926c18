/**
 * adversary: the sandbox's Host/Origin check keyed on the path as written, while Express routes paths
 * case-insensitively (and tolerates a trailing slash): `PUT /Sandbox/traffic` from a DNS-rebinding page
 * reached the dashboard's controls without the check.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DashboardSource, DashboardState } from '../../sandbox/dashboard/dashboard-source';
import { listenLocalOnly } from './local-dashboard';

describe('adversary: the sandbox controls reached by a path spelled otherwise', () => {
  let app: INestApplication;
  let port: number;
  const rates: number[] = [];
  const modes: string[] = [];
  const source: DashboardSource = {
    state: async () => ({ stack: 'demo' }) as DashboardState,
    setTraffic: async (rps) => {
      rates.push(rps);
    },
    setMode: async (mode) => {
      modes.push(mode);
    },
  };

  beforeAll(async () => {
    ({ app, port } = await listenLocalOnly(source));
  });
  afterAll(() => app.close());
  beforeEach(() => {
    rates.length = 0;
    modes.length = 0;
  });

  it.each([
    '/Sandbox/traffic',
    '/SANDBOX/TRAFFIC',
    '/sandbox/Traffic/',
    '/sAnDbOx/traffic',
    '/%53andbox/traffic',
    '//sandbox/traffic',
    '/sandbox//traffic',
    '/./sandbox/traffic',
    '/x/../sandbox/traffic',
  ])('refuses a rebinding page’s PUT %s (Host the attacker’s name) and changes nothing', async (path) => {
    const res = await request(`http://127.0.0.1:${port}`)
      .put(path)
      .set('Host', `rebind.attacker.example:${port}`)
      .send({ rps: 5 });
    expect(res.status).not.toBe(200);
    expect(rates).toEqual([]);
  });

  it('refuses a cross-site PUT /SANDBOX/mode (Origin another site) and changes nothing', async () => {
    const res = await request(`http://127.0.0.1:${port}`)
      .put('/SANDBOX/mode')
      .set('Host', `localhost:${port}`)
      .set('Origin', 'https://attacker.example')
      .send({ mode: 'fargate', generation: 1 });
    expect(res.status).toBe(403);
    expect(modes).toEqual([]);
  });

  it('still takes the same change from the sandbox’s own page', async () => {
    await request(`http://127.0.0.1:${port}`)
      .put('/Sandbox/traffic')
      .set('Host', `localhost:${port}`)
      .set('Origin', `http://localhost:${port}`)
      .send({ rps: 7 })
      .expect(200);
    expect(rates).toEqual([7]);
  });
});
