/**
 * Polls `read` until `ok` holds, and answers the value that did: the sandbox's tests wait on conditions,
 * never on time (jest's timeout bounds the wait). Often enough to see a phase the fast clock passes
 * through in a few ticks.
 */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
