import { parseArgs, type ParseArgsConfig } from 'node:util'
import { parseDecimal } from '../../shared/parse-decimal'

/** `parseArgs` option definitions. */
export type FlagDefinitions = NonNullable<ParseArgsConfig['options']>

/** The configuration {@link parseFlags} gives `parseArgs`. */
type FlagConfig<O extends FlagDefinitions> = {
  args: string[]
  strict: true
  allowPositionals: false
  tokens: true
  options: O
}

/** What {@link parseFlags} returns: `parseArgs`'s values and tokens for `O`. */
export type ParsedFlags<O extends FlagDefinitions> = ReturnType<typeof parseArgs<FlagConfig<O>>>

/** One refusal: a sentence for the user, thrown while reading flags and returned as `error`. */
export class CliError extends Error {}

/** What a command line asked for: a run, the help, the version, or a sentence saying why not. */
export type CliOutcome<T> =
  | { kind: 'run'; settings: T }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string }

/**
 * Runs `read`, turning every refusal into `error` with its one sentence: a {@link CliError}, or
 * `parseArgs`'s own (unknown options, stray words, a value missing). Anything else is a bug and
 * is thrown.
 */
export function outcomeOf<T>(read: () => CliOutcome<T>): CliOutcome<T> {
  try {
    return read()
  } catch (error) {
    if (error instanceof CliError || error instanceof TypeError)
      return { kind: 'error', message: error.message }
    throw error
  }
}

/**
 * `parseArgs`, strict and without positionals, with two of our rules on top: each option may be
 * given once (except those in `repeatable`), and a negative number after an option that takes a
 * value is that value (so "--p -0.5" reaches the range check, whose sentence says what is wrong).
 * @throws {CliError} for a repeated option; {TypeError} for what `parseArgs` refuses.
 */
export function parseFlags<O extends FlagDefinitions>(
  argv: readonly string[],
  options: O,
  repeatable: readonly string[] = []
): ParsedFlags<O> {
  const parsed = parseArgs({
    args: attachNegativeNumbers(argv, options),
    strict: true,
    allowPositionals: false,
    tokens: true,
    options
  })
  refuseRepeats(parsed.tokens, repeatable)
  return parsed
}

function attachNegativeNumbers(argv: readonly string[], options: FlagDefinitions): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const name = arg.startsWith('--') ? arg.slice(2) : null
    const next = argv[i + 1]
    const takesValue = name !== null && options[name]?.type === 'string'
    if (takesValue && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`)
      i++
    } else {
      out.push(arg)
    }
  }
  return out
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number]

function refuseRepeats(tokens: readonly Token[] | undefined, repeatable: readonly string[]): void {
  const seen = new Map<string, string | undefined>()
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || repeatable.includes(token.name)) continue
    if (seen.has(token.name)) {
      const first = seen.get(token.name)
      // A secret is never echoed.
      const shown =
        first !== undefined && token.value !== undefined && token.name !== 'token'
          ? ` (${first}, then ${token.value})`
          : ''
      throw new CliError(`--${token.name} was given twice${shown}; give it once`)
    }
    seen.set(token.name, token.value)
  }
}

/**
 * Reads a decimal (the UI's rule: `0.001` or `1e-3`) and checks it with `check`.
 * @returns `fallback` when the flag is absent.
 * @throws {CliError} naming `flag`, with the check's own sentence.
 */
export function readChecked<T extends number | undefined>(
  raw: string | undefined,
  fallback: T,
  flag: string,
  check: (value: unknown) => { ok: true; value: number } | { ok: false; message: string }
): number | T {
  if (raw === undefined) return fallback
  const value = parseDecimal(raw)
  if (value === null) throw new CliError(`${flag} must be a number, got ${JSON.stringify(raw)}`)
  const checked = check(value)
  if (!checked.ok) throw new CliError(`${flag}: ${checked.message}`)
  return checked.value
}

/**
 * Reads a whole number in [`min`, `max`].
 * @returns `fallback` when the flag is absent.
 * @throws {CliError} naming `flag` and the range.
 */
export function readInteger<T extends number | undefined>(
  raw: string | undefined,
  fallback: T,
  flag: string,
  min: number,
  max: number
): number | T {
  if (raw === undefined) return fallback
  const value = parseDecimal(raw)
  if (value === null || !Number.isInteger(value) || value < min || value > max) {
    const shown = value === null ? JSON.stringify(raw) : raw.trim()
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, got ${shown}`)
  }
  return value
}
