/**
 * An operation's input as the SDK sent it (the same loose type as `Operation.handle`): members are read
 * where AWS reads them and checked where AWS checks them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OperationInput = Record<string, any>;
