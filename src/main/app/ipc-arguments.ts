import { CodedError, ErrorCode } from '../../shared/error-codes'
import type { IpcInvokeChannel, IpcInvokeContract } from '../../shared/ipc-contract'
import {
  checkDrawCount,
  checkIntervalMs,
  checkP,
  checkSeed,
  describe,
  unwrap
} from '../../shared/sampler-settings'

/** The argument tuple of an invoke channel, as the contract declares it. */
export type InvokeArgs<C extends IpcInvokeChannel> = Parameters<IpcInvokeContract[C]>
/** What an invoke channel resolves to, as the contract declares it. */
export type InvokeResult<C extends IpcInvokeChannel> = ReturnType<IpcInvokeContract[C]>

/** Turns the untrusted arguments of one channel into its typed tuple, or throws a {@link CodedError}. */
type ArgumentParser<C extends IpcInvokeChannel> = (args: readonly unknown[]) => InvokeArgs<C>

/**
 * One parser per channel; the mapped type makes a new channel in the contract a compile error
 * here until its arguments are checked.
 */
const PARSERS: { [C in IpcInvokeChannel]: ArgumentParser<C> } = {
  'stream:start': (args) => noArguments('stream:start', args),
  'stream:stop': (args) => noArguments('stream:stop', args),
  'app:connection-info': (args) => noArguments('app:connection-info', args),
  'recording:start': (args) => noArguments('recording:start', args),
  'recording:stop': (args) => noArguments('recording:stop', args),
  'stream:set-p': (args) => {
    expectArity('stream:set-p', args, 1)
    return [unwrap(checkP(args[0]))]
  },
  'stream:set-interval': (args) => {
    expectArity('stream:set-interval', args, 1)
    return [unwrap(checkIntervalMs(args[0]))]
  },
  'stream:draw': (args) => {
    expectArity('stream:draw', args, 1)
    return [unwrap(checkDrawCount(args[0]))]
  },
  'stream:reseed': (args) => {
    // No seed, or an explicit undefined (what `reseed(undefined)` sends): a random one.
    if (args.length === 0 || (args.length === 1 && args[0] === undefined)) return []
    expectArity('stream:reseed', args, 1)
    return [unwrap(checkSeed(args[0]))]
  }
}

/**
 * Validates the arguments the renderer sent on `channel`. The contract's types are a convenience
 * for our own code; a compromised page can send anything, so every value is checked here.
 * @throws {CodedError} `E_INVALID_IPC` for a wrong number of arguments or an unknown channel;
 *   for a bad value the code the JSON protocol gives it: `E_INVALID_P`, `E_INVALID_INTERVAL`,
 *   `E_INVALID_SEED`, or `E_BAD_MESSAGE` for a draw count.
 */
export function parseInvokeArgs<C extends IpcInvokeChannel>(
  channel: C,
  args: readonly unknown[]
): InvokeArgs<C> {
  if (!Object.hasOwn(PARSERS, channel)) {
    throw new CodedError(ErrorCode.InvalidIpc, `unknown channel ${describe(channel)}`)
  }
  const parse: ArgumentParser<C> = PARSERS[channel]
  return parse(args)
}

function noArguments(channel: IpcInvokeChannel, args: readonly unknown[]): [] {
  expectArity(channel, args, 0)
  return []
}

function expectArity(channel: IpcInvokeChannel, args: readonly unknown[], count: number): void {
  if (args.length !== count) {
    throw new CodedError(
      ErrorCode.InvalidIpc,
      `${channel} takes ${count} argument${count === 1 ? '' : 's'}, got ${args.length}`
    )
  }
}
