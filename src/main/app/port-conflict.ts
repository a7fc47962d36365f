import type { ConnectionInfo } from '../../shared/ipc-contract'
import { ErrorCode } from '../../shared/error-codes'
import type { StreamService } from '../stream-service-types'

/** What the user can do when the configured port is taken. */
export type PortConflictChoice = 'use-free-port' | 'retry' | 'quit'

/** The question to put to the user; a dialog shows `buttons` and reports the clicked index. */
export interface PortConflictPrompt {
  title: string
  message: string
  detail: string
  buttons: string[]
  /** What each button means, index for index with `buttons`. */
  choices: PortConflictChoice[]
  /** Button pressed by Enter. */
  defaultId: number
  /** Button that Escape or closing the dialog stands for. */
  cancelId: number
}

/**
 * Builds the port-conflict question.
 * @param port the port that was taken, integer in [1, 65535].
 */
export function portConflictPrompt(port: number): PortConflictPrompt {
  const choices: PortConflictChoice[] = ['use-free-port', 'retry', 'quit']
  return {
    title: 'Port in use',
    message: `Port ${port} is already in use.`,
    detail:
      'Another program (perhaps another stream server) is listening on it. ' +
      'Bernoulli Stream can use a free port instead and remember it for next time; ' +
      'clients must then connect to the new port.',
    buttons: ['Use a free port', 'Try again', 'Quit'],
    choices,
    defaultId: choices.indexOf('use-free-port'),
    cancelId: choices.indexOf('quit')
  }
}

/** The choice behind a clicked button; an index outside the prompt (dialog dismissed oddly) means quit. */
export function choiceForButton(prompt: PortConflictPrompt, index: number): PortConflictChoice {
  return prompt.choices[index] ?? 'quit'
}

/** Whether `error` is the service's "port already taken" rejection. */
export function isPortInUse(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === ErrorCode.PortInUse
  )
}

/** Options of {@link listenWithPortFallback}. */
export interface PortFallbackOptions {
  /** Port to try first, from the settings. */
  port: number
  /** Creates a service bound to `port` (0 = any free port) with the rest of the settings. */
  createService: (port: number) => StreamService
  /** Asks the user what to do about the taken `port`. */
  askOnConflict: (port: number) => Promise<PortConflictChoice>
}

/** Outcome of {@link listenWithPortFallback}. */
export type PortFallbackResult =
  | {
      kind: 'listening'
      service: StreamService
      info: ConnectionInfo
      /** True when the user picked another port: the caller should remember `info.port`. */
      portChanged: boolean
    }
  | { kind: 'quit' }

/**
 * Starts the stream server on the configured port; if it is taken, asks the user and either
 * retries it, takes any free port, or gives up. A failed service is closed before the next
 * attempt so nothing is left half-open.
 * @throws whatever `listen()` rejects with other than `E_PORT_IN_USE` (e.g. `E_LISTEN_FAILED`).
 */
export async function listenWithPortFallback(
  options: PortFallbackOptions
): Promise<PortFallbackResult> {
  let port = options.port
  for (;;) {
    const service = options.createService(port)
    try {
      const info = await service.listen()
      return { kind: 'listening', service, info, portChanged: port !== options.port }
    } catch (error) {
      await service.close()
      // Port 0 cannot be "in use"; anything but a conflict is not ours to resolve.
      if (!isPortInUse(error) || port === 0) throw error
    }
    const choice = await options.askOnConflict(port)
    if (choice === 'quit') return { kind: 'quit' }
    if (choice === 'use-free-port') port = 0
  }
}
