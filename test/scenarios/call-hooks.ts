/**
 * What the adversary scenarios need to watch or pause a simulated client's calls: the part of an SDK
 * client's middleware stack they use, typed loosely enough for every service's client.
 */
export interface Call {
  commandName?: string;
}
export type Handler = (args: { input: Record<string, unknown> }) => Promise<unknown>;
export interface HookClient {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: Call) => Handler,
      options: { step: 'initialize'; name: string; priority?: 'high' | 'low' },
    ): void;
  };
}

/** Operations that only read: the rest change something in AWS. */
export const READ = /^(Get|List|Describe)/;

/**
 * Runs `then` before every call of each of `clients` (a scenario's or another installation's), with the
 * call's operation and input. Added first of 'initialize', before the reconciler's own middlewares, so
 * that what it does (a clock jump, a second reconciler) happens between two calls, as a stalled process
 * sees it, never in the middle of one.
 */
export function beforeEveryCall(
  clients: object,
  name: string,
  then: (operation: string, input: Record<string, unknown>) => void,
): void {
  for (const client of Object.values(clients) as HookClient[]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        then((context.commandName ?? '').replace(/Command$/, ''), args.input);
        return next(args);
      },
      { step: 'initialize', name, priority: 'high' },
    );
  }
}

/** The operations that change something (not READ) that `clients` send from now on, in order. */
export function changesBy(clients: object, name = 'watchChanges'): string[] {
  const changes: string[] = [];
  beforeEveryCall(clients, name, (operation) => {
    if (!READ.test(operation)) changes.push(operation);
  });
  return changes;
}

/**
 * A lagging listing: `client`'s `operation` answers its `list` empty while `hidden` is set; every change
 * the client sends is kept in `changes`.
 */
export function hideListing(client: unknown, operation: string, list: string, name: string) {
  const state = { hidden: false, changes: [] as string[] };
  (client as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const sent = (context.commandName ?? '').replace(/Command$/, '');
      if (!READ.test(sent)) state.changes.push(sent);
      const answer = (await next(args)) as { output: Record<string, unknown> };
      if (state.hidden && sent === operation) answer.output = { ...answer.output, [list]: [] };
      return answer;
    },
    { step: 'initialize', name, priority: 'high' },
  );
  return state;
}

/**
 * Every answer to `command` (e.g. 'CreateStageCommand') that `client` hears from now on, in order: `ok`,
 * or the error's name and message.
 */
export function answersTo(client: unknown, command: string): string[] {
  const answers: string[] = [];
  (client as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== command) return next(args);
      try {
        const answer = await next(args);
        answers.push('ok');
        return answer;
      } catch (error) {
        answers.push(`${(error as Error).name}: ${(error as Error).message}`);
        throw error;
      }
    },
    { step: 'initialize', name: `answers${command}`, priority: 'high' },
  );
  return answers;
}
