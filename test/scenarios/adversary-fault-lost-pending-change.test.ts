/**
 * Adversary (faults): the id of a Route 53 change still PENDING is kept between passes
 * (`bookkeeping.pendingChanges`), and the drain starts only from the INSYNC of a change whose id the
 * reconciler kept (safety rule 2). A pass whose look-up of that change fails (GetChange throttled past the
 * SDK's retries, or answered 5xx) does not know the change is INSYNC, nor that it is gone: unknown is not
 * absent (safety rule 6), so the id must still be there for the next pass to ask about. Found by the
 * throttled drain (adversary-fault-dns-drain-throttled): the failed pass wrote `pendingChanges: {}`, the
 * next found only the old name's TXT, took the removal as in sync and started TTL × 2 + the deregistration
 * delay 29 s before Route 53 had the removal INSYNC; the HTTPS listener went 135 s after the old name
 * drained, not 150 s.
 */
import type { HookClient } from './call-hooks';
import { callsBeforeDrained, settledOnFargateWithDns } from './drain-watch';
import { specInput, STACK } from './harness';

/** `GetChange` answered with a throttling error (the SDK's retries used up) while `failing.on` is set. */
function failGetChange(clients: { route53: unknown }) {
  const failing = { on: false, failed: 0 };
  (clients.route53 as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      if (failing.on && context.commandName === 'GetChangeCommand') {
        failing.failed++;
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'Throttling',
          $fault: 'client',
          $metadata: { httpStatusCode: 400, attempts: 3 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'failGetChange', priority: 'high' },
  );
  return failing;
}

describe('adversary: a failed look-up of the old name’s PENDING removal', () => {
  it.each(['fargate', 'lambda'] as const)(
    'dns removed asking for %s: the removal’s id survives the failed pass and the drain waits from its INSYNC',
    async (mode) => {
      const { s, watch } = await settledOnFargateWithDns({ seed: 102 });
      const failing = failGetChange(s.clients);
      await s.apply(specInput({ mode }));
      // The pass that removes the old name's records: its change PENDING, its id kept.
      const first = await s.pass();
      expect(first).not.toBe('crashed');
      const kept = (await s.store.get(STACK))!.bookkeeping.pendingChanges['dns-leftovers'];
      expect(kept).toBeDefined();
      // The next pass cannot ask Route 53 about it.
      s.account.advance(15_000);
      failing.on = true;
      await s.pass();
      failing.on = false;
      expect(failing.failed).toBeGreaterThan(0);
      expect((await s.store.get(STACK))!.bookkeeping.pendingChanges['dns-leftovers']).toBe(kept);
      s.account.advance(15_000);
      const last = (await s.settle()).at(-1);
      expect(last).toMatchObject({ phase: mode === 'fargate' ? 'Fargate' : 'Lambda', settled: true });
      expect(watch.calls.length).toBeGreaterThan(0);
      expect(callsBeforeDrained(watch)).toEqual([]);
    },
  );
});
