/**
 * A stack deleted and created again within SQS's five-minute deduplication interval, through the fan-out
 * (the change feed, the dispatcher, the FIFO work queue): its new record starts again at generation 1 with
 * no pass, the state its old record's first message named. The work item's deduplication id names the
 * record's incarnation, so the new record's message is not dropped as a repeat of the old one's.
 */
import { fanOutWorld, quietMetrics } from './fan-out-world';

const spec = (tag: string) => ({
  stack: 'web',
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/web:${tag}`,
  mode: 'lambda' as const,
});

let restore: () => void;
beforeEach(() => (restore = quietMetrics()));
afterEach(() => restore());

it('reconciles a stack made again a minute after it was first made, without waiting out the interval', async () => {
  const w = await fanOutWorld();
  await w.store.putSpec(spec('1'));
  await w.runtime.drain();
  const first = await w.store.get('web');
  expect(first?.status?.lastPass).toBeDefined();
  // The record goes (as the reconciler removes it once the stack is torn down) and is made again.
  w.account.advance(20_000);
  await w.store.requestDelete('web');
  await w.store.deleteRecord('web');
  await w.runtime.drain();
  w.account.advance(20_000);
  const remade = await w.store.putSpec(spec('2'));
  expect(remade).toMatchObject({ generation: 1, change: 'created' });
  expect(remade.incarnation).not.toBe(first?.incarnation);
  await w.runtime.drain();
  const record = await w.store.get('web');
  expect(record?.status?.lastPass?.at).toBe(w.account.now());
});
