/**
 * An error with a `code` callers branch on (the message is for people): the
 * base of each layer's own error class (FlashError, PackageError), which
 * lists its codes and sets its name.
 */
export abstract class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
