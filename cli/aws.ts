/**
 * The AWS a command talks to: real AWS (region, endpoint and credentials from the SDK's own settings),
 * or with `--local` the simulated account kept in `.lambdaflex/sim.json`, loaded before the command and
 * saved after it, so that separate runs share one account. Faults come from LAMBDAFLEX_SIM_FAULTS.
 */
import { existsSync } from 'node:fs';
import { createAwsClients, type AwsClients } from '../reconciler/aws/clients';
import { createSimulatedAws, parseFaults, type SimAccount } from '../aws-sim';
import { setTaggingIndexLag, type TaggingState } from '../aws-sim/services/tagging';
import { attachTrafficModel } from '../simulation/traffic/model';
import type { GlobalOptions } from './context';
import { chosenRegion } from './global-options';
import { CliError } from './io';
import { assertNoSandbox, localPath, LOCAL_REGION } from './local';

export interface OpenedAws {
  clients: AwsClients;
  region: string;
  /** Time as AWS sees it: the simulated clock locally, the wall clock otherwise. */
  now(): number;
  /** Lets time pass: advances the simulated clock locally, sleeps otherwise (until `signal` aborts). */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  /** The simulated account, locally. */
  account?: SimAccount;
  /** Keeps what happened (the simulated account locally; nothing to do against AWS). */
  save(): void;
}

export function simulatedAccountFile(cwd: string): string {
  return localPath(cwd, 'sim.json');
}

export function openAws(options: GlobalOptions, cwd: string): OpenedAws {
  if (options.local) return openLocalAws(cwd);
  const region = chosenRegion(options)?.region;
  const clients = createAwsClients(region ? { region } : {});
  return {
    clients,
    region: region ?? 'us-east-1',
    now: () => Date.now(),
    wait: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    save: () => undefined,
  };
}

function openLocalAws(cwd: string): OpenedAws {
  assertNoSandbox(cwd);
  const { account, clients } = createSimulatedAws({ region: LOCAL_REGION });
  // The local account serves the sandbox's traffic and meters its cost (the saved state is kept on load).
  attachTrafficModel(account);
  const file = simulatedAccountFile(cwd);
  if (existsSync(file)) {
    try {
      account.load(file);
    } catch (error) {
      throw new CliError([
        `reading the simulated account (${file}): ${(error as Error).message}`,
        'run `lambdaflex --local sim reset` to start over',
      ]);
    }
  }
  // The Tagging API lags the services as AWS's does (docs/aws-facts.md, "Resource Groups Tagging API
  // index"): a deleted resource stays listed for a while, a new one shows after a minute. The account
  // users run is the one that must not hide what the reconciler has to live with. An account saved
  // before the lag was modelled gets it too; one saved with a lag of its own keeps it.
  if (account.stateOf<TaggingState>('tagging').lag === undefined) setTaggingIndexLag(account);
  try {
    // Faults belong to this run (the environment), not to the saved account: a crash fault set by an
    // earlier run must not kill this one, and the "process" that crashed starts again.
    const faults = parseFaults(process.env.LAMBDAFLEX_SIM_FAULTS);
    account.restart();
    account.setFaults(faults);
  } catch (error) {
    throw new CliError([(error as Error).message]);
  }
  return {
    clients,
    region: account.region,
    account,
    now: () => account.now(),
    wait: async (ms) => account.advance(ms),
    save: () => account.save(file),
  };
}
