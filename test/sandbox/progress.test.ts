import type { DashboardState } from '../../sandbox/dashboard/dashboard-source';
import { PROGRESS_EVERY_MINUTES, ProgressReporter, summaryLine } from '../../sandbox/progress';

const view = (overrides: Partial<DashboardState> = {}): DashboardState => ({
  stack: 'orders-api',
  now: Date.UTC(2026, 0, 1, 0, 5),
  speed: 60,
  mode: 'auto',
  phase: 'Lambda',
  deletionRequested: false,
  waitingFor: [],
  rps: 2,
  traffic: { line: 'x' },
  shares: { lambda: 1, fargate: 0 },
  urls: {},
  tasks: 0,
  cost: { actual: 0.0012, alwaysLambda: 0.0015, compared: true },
  minutes: [],
  events: [],
  problems: [],
  resources: [],
  ...overrides,
});

describe('summaryLine', () => {
  it('says the simulated time, phase, mode, traffic, split, tasks and cost against always-Lambda', () => {
    expect(summaryLine(view())).toBe(
      '[sim 01-01 00:05] orders-api Lambda      mode auto, 2 rps, last minute lambda 100% / fargate 0%, 0 tasks, cost $0.0012 (always-Lambda $0.0015)',
    );
  });

  it('says what the last minute served: the requests with no DNS answer too, and nothing when none came', () => {
    const creating = view({
      shares: { lambda: 0, fargate: 0 },
      traffic: { line: 'x', served: { lambda: 0, fargate: 0, unrouted: 1 } },
    });
    expect(summaryLine(creating)).toContain(
      ', 2 rps, last minute lambda 0% / fargate 0% / no DNS answer 100%, 0 tasks, ',
    );
    const quiet = view({ rps: 0, shares: { lambda: 0, fargate: 0 }, traffic: { line: 'x' } });
    expect(summaryLine(quiet)).toContain(', 0 rps, last minute nothing served, 0 tasks, ');
  });

  it('says "1 task", not "1 tasks"', () => {
    expect(summaryLine(view({ tasks: 1 }))).toContain(', 1 task, cost ');
    expect(summaryLine(view({ tasks: 2 }))).toContain(', 2 tasks, cost ');
  });
});

describe('ProgressReporter', () => {
  it('prints when the phase, the traffic or the mode changes, and a summary now and then', () => {
    const lines: string[] = [];
    const reporter = new ProgressReporter((line) => lines.push(line));
    reporter.report(view(), 0);
    reporter.report(view(), 1);
    expect(lines).toHaveLength(1);
    reporter.report(view({ rps: 300 }), 2);
    reporter.report(view({ rps: 300, phase: 'ScalingUp', reason: 'busy' }), 3);
    reporter.report(view({ rps: 300, phase: 'ScalingUp', mode: 'fargate' }), 4);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/ScalingUp .* — busy$/);
    reporter.report(view({ rps: 300, phase: 'ScalingUp', mode: 'fargate' }), 4 + PROGRESS_EVERY_MINUTES);
    expect(lines).toHaveLength(5);
  });

  it('prints a problem once while it repeats, even with passes in between that were fine', () => {
    const lines: string[] = [];
    const reporter = new ProgressReporter((line) => lines.push(line));
    const failing = view({ problems: ['Retrying: busy'] });
    reporter.report(failing, 0);
    reporter.report(view(), 1);
    reporter.report(failing, 2);
    expect(lines.filter((l) => l.includes('Retrying'))).toEqual(['  orders-api: Retrying: busy']);
  });
});
