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
