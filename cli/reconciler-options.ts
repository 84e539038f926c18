/** The reconciler's options as the CLI builds them: the store, AWS (or the simulated account), all kinds. */
import { hostname } from 'node:os';
import type { ReconcilerOptions } from '../reconciler/reconcile';
import { prepareAutoDecide } from '../reconciler/decide/auto-decider';
import { ALL_RESOURCES } from '../reconciler/resources';
import type { CliContext } from './context';

export async function reconcilerOptions(
  ctx: CliContext,
  extra: Partial<ReconcilerOptions> = {},
): Promise<ReconcilerOptions> {
  const store = await ctx.store();
  const aws = ctx.openAws();
  return {
    store,
    clients: aws.clients,
    region: aws.region,
    kinds: ALL_RESOURCES,
    holder: `cli:${hostname()}:${process.pid}`,
    now: () => aws.now(),
    // The lease is judged on a clock that never steps back; locally, the simulated one.
    monotonic: aws.account ? () => aws.now() : () => performance.now(),
    // Auto mode decides from metrics here too, or a CLI pass would undo the scheduled reconciler's choice.
    decide: async (input) =>
      (await prepareAutoDecide({ clients: aws.clients, now: () => aws.now() })([input.record]))(input),
    // A pass run by hand (`reconcile`, `apply --wait`) observes in full: `--until-settled` is done when a
    // fresh observation plans nothing, and a settled stack's snapshot can't see what the Tagging API does
    // not show (a role's policies, a route). The scheduled reconciler keeps the snapshot's savings.
    observeInFullBecause: 'every pass run by hand observes in full',
    // Advice written by a pass names the command as run here (`lambdaflex --local …` in a local folder).
    command: (rest) => ctx.command(rest),
    ...extra,
  };
}
