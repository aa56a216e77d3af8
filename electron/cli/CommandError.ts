/**
 * The one user-facing error of the CLI. Commands throw it (or any error from
 * the layers below, which main.ts converts); main.ts prints the message and
 * exits with `exitCode`, in one place.
 */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/**
 * Whether `err` is a CommandError. By name as well as by class: `vboard`'s
 * body runs from tsc's output beside the CLI bundle (it needs the virtual
 * board's files next to it), so its copy of the class is another one.
 */
export function isCommandError(err: unknown): err is CommandError {
  return err instanceof CommandError || (err instanceof Error && err.name === 'CommandError' && typeof (err as CommandError).exitCode === 'number');
}

export class UsageError extends CommandError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}
