/**
 * Errors that carry a message meant for a person: what was wrong and where. Apps print
 * `message` alone (no stack trace) for these; anything else is a bug and keeps its stack.
 */
export class DescentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DescentError';
  }
}

/** Input data that cannot be used: truncated or corrupt files, bad labels, NaN values. */
export class DataError extends DescentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataError';
  }
}

/** Arrays whose shapes do not fit together. */
export class ShapeError extends DescentError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** A setting out of its domain (negative learning rate, unknown optimizer, …). */
export class OptionError extends DescentError {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

/** A backend that cannot run here, or failed while running. */
export class BackendError extends DescentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
  }
}
